"""The everyday words of a municipality's themes, to widen a goal's own formal words.

A goal says "förutsättningar för fler bostäder" or "minskad klimatpåverkan"; residents
write "hyresrätter", "villatomter", "cykelbanor" and "laddstolpar". Before any input is
confirmed for a goal (a new framework) its text is all the model has, so a goal whose own
text holds one of a theme's trigger words also gets the theme's everyday words. The
themes are general Swedish municipal vocabulary, not any one framework's: a trigger is
matched on stems, in the goal's title, statement and indicator names.
"""

from __future__ import annotations

# (trigger words, everyday words) per theme.
THEMES: tuple[tuple[str, str], ...] = (
    (  # democracy and participation
        "demokrati delaktighet delaktig påverka inflytande dialog kommunikation tillit",
        """medborgardialog lyssna fråga tycka åsikter rösta omröstning folkomröstning
        medborgarförslag namninsamling politiker fullmäktige nämnd möten mottagning insyn
        öppenhet information informera svar svara mejl hemsida app sms enkät råd
        ungdomsråd pensionärsråd medborgarbudget protokoll språk klarspråk felanmälan
        synpunkter förtroende samråd beslut""",
    ),
    (  # safety and crime
        "trygg trygghet säker säkerhet brott brottslighet våld",
        """otrygg otryggt rädd mörkt belysning lampor gatlampor gatubelysning polis poliser
        ordningsvakter väktare vakter kameror kameraövervakning nattvandrare nattvandring
        rån inbrott stöld knark narkotika langning gäng skjutningar klotter skadegörelse
        vandalisering fältassistenter grannsamverkan hot bråk buskar tunnel
        trygghetsvandring mobbning trakasserier""",
    ),
    (  # housing
        "bostad bostäder boende bygga livsmiljö",
        """lägenhet lägenheter hyresrätter bostadsrätter villa villor radhus tomter
        villatomter bostadskö bostadsbolag studentlägenheter trygghetsboende seniorboende
        flytta hyra hyror nybyggnation detaljplan bostadsområde stadsdel kvarter""",
    ),
    (  # the town's public places
        "livsmiljö attraktiv stad städer stadsmiljö",
        """park parker lekplats lekplatser torg torget centrum stadskärna bänkar
        sittplatser grönområden promenadstråk skötsel städning skräp nedskräpning gator
        trottoarer gångvägar gångtunnel trafik trafiksäkerhet farthinder fartgupp
        övergångsställe parkering""",
    ),
    (  # climate and environment
        """klimat klimatpåverkan klimatförändringarna miljö utsläpp växthusgaser
        koldioxid energi förnybar konsumtion ekosystem mångfald natur""",
        """cykel cykla cykelbanor cykelvägar cykelställ lånecyklar elcyklar bussar
        kollektivtrafik tåg pendla pendling samåkning bilen elbil laddstolpar solceller
        solpaneler vindkraft biogas fossilfritt diesel återvinning återvinningsstation
        återbruk sortering matavfall kompost matsvinn plast förpackningar träd plantera
        skog ängar bin fjärilar pollinatörer våtmarker dagvatten översvämning skyfall
        havsnivå klimatanpassning energieffektivisering isolering fjärrvärme led
        vegetariskt kött flyg""",
    ),
    (  # public health
        "folkhälsa hälsa självskattad välbefinnande levnadsvanor",
        """motion röra träning träna idrott idrotta idrottshall simhall simma simskola
        badplats utegym gym motionsspår elljusspår löparspår promenader spontanidrott
        fotboll föreningar föreningsliv fritid fritidsgård fritidsaktiviteter aktiviteter
        psykisk ohälsa mår kurator ungdomsmottagning ensamhet ensam mötesplatser
        träffpunkt gympa alkohol droger drogförebyggande tobak snus rökning rökfritt
        spelberoende matvanor kost övervikt diabetes vårdcentral medellivslängd""",
    ),
    (  # equality
        "jämlik jämlikhet ojämlikhet jämställdhet fattigdom",
        """skillnader rättvist oavsett råd gratis avgifter barnfattigdom utanförskap
        segregation integration nyanlända bidrag funktionsnedsättning tillgänglighet""",
    ),
    (  # welfare and care
        "välfärd omsorg vård",
        """äldreomsorg äldreboende särskilt boende hemtjänst undersköterskor personal
        bemanning socialtjänst socialsekreterare lss funktionsnedsättning anhöriga
        anhörigstöd välfärdsteknik hembesök familjer barn missbruk försörjningsstöd
        boendestöd""",
    ),
    (  # school and education
        "utbildning skola elever gymnasiet behöriga förskola lärande",
        """skolan skolor lärare klasser förskolan barngrupper pedagoger fritids läxhjälp
        läxor speciallärare elevhälsa skolsköterska betyg behörighet studiero
        undervisning modersmål""",
    ),
    (  # work and skills
        """kompetens kompetensutveckling arbete arbetsvillkor sysselsättning
        förvärvsarbetande""",
        """jobb jobba arbetsplatser arbetslösa arbetslöshet arbetsmarknaden
        arbetsförmedlingen praktik praktikplatser lärlingar yrkesutbildning yrke komvux
        vuxenutbildning sfi vidareutbildning högskola universitet sommarjobb feriejobb
        lönebidrag rekrytera personal arbetskraft""",
    ),
    (  # business
        "näringsliv näringslivet företag tillväxt industri innovationer infrastruktur",
        """företagare småföretagare företagande starta eget entreprenörer etablering
        etablera industrier logistik hamn handel butiker affärer turism turister
        besöksnäring evenemang marknadsföra upphandling lokala inkubator lokaler kontor
        mark fiber bredband""",
    ),
    (  # the exercise of public authority and service
        "myndighetsutövning service handläggning tillstånd",
        """bygglov tillstånd handläggning handläggare handläggningstid besked
        serveringstillstånd livsmedelskontroll inspektörer miljökontoret tillsyn
        bemötande kontaktperson lots regler blanketter väntetid""",
    ),
)
