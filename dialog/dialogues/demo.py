"""Demo dialogues: how Köping's goals 2020–2027 were shaped in 2019, and Landskrona's
Vägval 2020 being discussed now.

Köping's news item of 2019-12-17 (see /work/shared/seeds) says the goals came from citizen
dialogues around the municipality and workshops with politicians, managers and unions. The
dialogues, notes, headcounts and feedback below are made up in that spirit and marked
``is_example``. Vägval's online consultation and workshop get dates relative to the day
they are loaded, so one is open and the other upcoming.

Loading is idempotent: a dialogue whose slug exists is left as it is. It needs the demo
frameworks (``koping-2020-2027``, ``landskrona-vagval-2020``) and the demo facilitator.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dialog.accounts.models import User
from dialog.accounts.queries import user_by_email
from dialog.contributions.services import add_workshop_note
from dialog.core.models import utcnow
from dialog.core.sanitize import clean_html, plain_text
from dialog.dialogues.models import (
    Dialogue,
    DialogueAudience,
    DialogueFormat,
    DialogueGoal,
    DialogueStatus,
    FeedbackReport,
    Group,
    Headcount,
    Level,
    Moderation,
    Registration,
    RegistrationStatus,
)
from dialog.dialogues.queries import dialogue_by_slug
from dialog.extensions import db
from dialog.goals.models import Framework, Goal
from dialog.goals.queries import framework_with_goals

STOCKHOLM = ZoneInfo("Europe/Stockholm")
KOPING = "koping-2020-2027"
VAGVAL = "landskrona-vagval-2020"
FACILITATOR_EMAIL = "dialogledare@example.se"


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Swedish wall-clock time as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM).astimezone(UTC)


@dataclass(frozen=True)
class DemoReport:
    heard_sv: str
    next_steps_sv: str
    decisions_expected_sv: str
    published: datetime
    heard_en: str | None = None
    next_steps_en: str | None = None
    decisions_expected_en: str | None = None


@dataclass(frozen=True)
class DemoDialogue:
    slug: str
    framework: str
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    format: DialogueFormat
    level: Level
    status: DialogueStatus
    audiences: tuple[Group, ...]
    focus: tuple[str, ...]
    place_name: str | None = None
    address: str | None = None
    accessibility_sv: str | None = None
    accessibility_en: str | None = None
    influence_sv: str | None = None
    influence_en: str | None = None
    starts_at: datetime | None = None
    hours: float = 2.5
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    registration: bool = False
    capacity: int | None = None
    facilitated: bool = True
    # (group, goal code or None, text), in the order they were said.
    notes: tuple[tuple[Group, str | None, str], ...] = ()
    headcount: dict[Group, int] = field(default_factory=dict)
    report: DemoReport | None = None
    registrants: tuple[tuple[str, str, str | None], ...] = ()


CITIZEN_DIALOGUE_SV = (
    "<p>Köpings kommun tar fram nya övergripande mål för 2020–2027. Innan politikerna "
    "bestämmer sig vill vi höra vad du som bor i {place} tycker är viktigast: vad fungerar "
    "bra, vad behöver bli bättre och vad vill du att kommunen satsar på de kommande åren?</p>"
    "<p>Vi bjuder på kaffe. Du behöver inte anmäla dig, det går bra att komma när du kan.</p>"
)
CITIZEN_DIALOGUE_EN = (
    "<p>Köping Municipality is drawing up new overall goals for 2020–2027. Before the "
    "politicians decide, we want to hear what you who live in {place} think matters most: "
    "what works well, what needs to improve and what the municipality should invest in over "
    "the coming years?</p><p>Coffee is on us. No need to sign up; come when you can.</p>"
)
DIALOGUE_INFLUENCE_SV = (
    "Det som sägs skrivs ner och används när förslaget till nya mål skrivs. "
    "Kommunfullmäktige fattar det slutliga beslutet i december 2019. Enskilda ärenden, "
    "som bygglov eller skolplaceringar, kan inte avgöras här."
)
DIALOGUE_INFLUENCE_EN = (
    "What is said is written down and used when the proposal for new goals is drafted. The "
    "Municipal Council makes the final decision in December 2019. Individual matters, such "
    "as building permits or school places, cannot be settled here."
)

KOPING_DIALOGUES = (
    DemoDialogue(
        slug="koping-centrum-2019",
        framework=KOPING,
        title_sv="Medborgardialog i Köpings centrum",
        title_en="Citizen dialogue in central Köping",
        description_sv=CITIZEN_DIALOGUE_SV.format(place="Köping"),
        description_en=CITIZEN_DIALOGUE_EN.format(place="Köping"),
        format=DialogueFormat.CITIZEN_DIALOGUE,
        level=Level.DIALOGUE,
        status=DialogueStatus.REPORTED,
        audiences=(Group.RESIDENTS, Group.SENIORS, Group.YOUTH),
        focus=("1.1", "2.1", "2.2"),
        place_name="Köpings bibliotek",
        address="Köping centrum",
        accessibility_sv="Entré utan trappsteg, hörslinga i hörsalen och tillgänglig toalett.",
        accessibility_en="Step-free entrance, hearing loop in the hall and accessible toilet.",
        influence_sv=DIALOGUE_INFLUENCE_SV,
        influence_en=DIALOGUE_INFLUENCE_EN,
        starts_at=local(2019, 3, 12, 18),
        notes=(
            (
                Group.RESIDENTS,
                "2.1",
                "Fler hyresrätter i centrum, det är svårt för unga att hitta en första bostad.",
            ),
            (
                Group.RESIDENTS,
                "2.1",
                "Belysningen längs Köpingsån behöver bli bättre, många går inte där när det är "
                "mörkt.",
            ),
            (
                Group.SENIORS,
                "2.1",
                "Trygghetsboenden nära affärer och vårdcentral, så att man kan bo kvar i Köping "
                "när man blir äldre.",
            ),
            (
                Group.RESIDENTS,
                "1.1",
                "Kommunen berättar för sent om vad som planeras. Informera innan besluten är "
                "fattade, inte efteråt.",
            ),
            (Group.YOUTH, "1.1", "Ett ungdomsråd som politikerna faktiskt lyssnar på och svarar."),
            (
                Group.RESIDENTS,
                "2.2",
                "Cykelvägar som hänger ihop mellan centrum, stationen och industriområdena.",
            ),
            (
                Group.SENIORS,
                "2.2",
                "Tätare bussar på kvällar och helger, annars måste man ta bilen.",
            ),
            (
                Group.RESIDENTS,
                None,
                "Torget behöver mer liv: uteserveringar, marknader och sittplatser.",
            ),
            (Group.YOUTH, "1.2", "Fler gratis aktiviteter för unga på helgerna, inte bara idrott."),
        ),
        headcount={Group.RESIDENTS: 38, Group.SENIORS: 14, Group.YOUTH: 6},
        report=DemoReport(
            heard_sv=(
                "<p>Ett sextiotal köpingsbor kom till biblioteket. Det som kom upp oftast var "
                "bostäder för unga och äldre, tryggheten i centrum på kvällen och att "
                "kommunen behöver berätta tidigare om vad som planeras.</p>"
                "<ul><li>Bostäder: fler hyresrätter och trygghetsboenden nära service.</li>"
                "<li>Trygghet: bättre belysning längs ån och mer liv på torget.</li>"
                "<li>Delaktighet: informera innan beslut, och ett ungdomsråd som får svar.</li>"
                "<li>Miljö: sammanhängande cykelvägar och tätare kollektivtrafik.</li></ul>"
            ),
            heard_en=(
                "<p>About sixty residents came to the library. What came up most was "
                "housing for young and older people, safety in the centre in the evening and "
                "that the municipality must tell people earlier about its plans.</p>"
            ),
            next_steps_sv=(
                "<p>Synpunkterna från alla dialoger har sammanställts och lämnats till "
                "kommunstyrelsen. Många av förslagen finns nu med i de nya målen, till exempel "
                "delmålen om delaktighet och om fler bostäder och en trygg livsmiljö. "
                "Förvaltningarna tar fram aktiviteter för att nå målen under 2020.</p>"
            ),
            next_steps_en=(
                "<p>The views from all dialogues have been compiled and given to the "
                "Executive Committee. Many of the proposals are now in the new goals, such as "
                "the sub-goals on participation and on more homes and a safe environment.</p>"
            ),
            decisions_expected_sv=(
                "Kommunfullmäktige antog målen den 16 december 2019; de gäller från januari 2020."
            ),
            decisions_expected_en=(
                "The Municipal Council adopted the goals on 16 December 2019; they apply from "
                "January 2020."
            ),
            published=local(2019, 12, 18, 10),
        ),
    ),
    DemoDialogue(
        slug="kolsva-2019",
        framework=KOPING,
        title_sv="Medborgardialog i Kolsva",
        title_en="Citizen dialogue in Kolsva",
        description_sv=CITIZEN_DIALOGUE_SV.format(place="Kolsva"),
        description_en=CITIZEN_DIALOGUE_EN.format(place="Kolsva"),
        format=DialogueFormat.CITIZEN_DIALOGUE,
        level=Level.DIALOGUE,
        status=DialogueStatus.REPORTED,
        audiences=(Group.RESIDENTS, Group.ASSOCIATIONS, Group.BUSINESSES),
        focus=("1.1", "2.1", "3.1"),
        place_name="Folkets hus i Kolsva",
        address="Kolsva",
        accessibility_sv="Ramp vid entrén. Hörslinga finns.",
        accessibility_en="Ramp at the entrance. Hearing loop available.",
        influence_sv=DIALOGUE_INFLUENCE_SV,
        influence_en=DIALOGUE_INFLUENCE_EN,
        starts_at=local(2019, 4, 2, 18, 30),
        notes=(
            (
                Group.RESIDENTS,
                "1.1",
                "Vi i Kolsva känner oss glömda. Politikerna borde komma hit oftare, inte bara "
                "inför val.",
            ),
            (
                Group.RESIDENTS,
                "2.1",
                "Det behövs lägenheter för äldre i Kolsva så att villorna frigörs för "
                "barnfamiljer.",
            ),
            (
                Group.ASSOCIATIONS,
                "1.2",
                "Föreningarna behöver billigare lokaler, annars försvinner verksamheten för "
                "barnen.",
            ),
            (
                Group.BUSINESSES,
                "3.1",
                "Snabbare besked från bygglov – vi har väntat i månader på att få bygga ut.",
            ),
            (
                Group.BUSINESSES,
                "3.1",
                "Samarbete med skolan om praktikplatser, vi har svårt att hitta folk med rätt "
                "utbildning.",
            ),
            (Group.RESIDENTS, "2.2", "Pendlarparkering och laddstolpar vid busshållplatsen."),
            (Group.RESIDENTS, None, "Behåll bankomaten och apoteksombudet i byn."),
        ),
        headcount={Group.RESIDENTS: 27, Group.ASSOCIATIONS: 5, Group.BUSINESSES: 4},
        report=DemoReport(
            heard_sv=(
                "<p>I Kolsva handlade samtalet mycket om att orten ska räknas med: närhet till "
                "politikerna, service i byn och bostäder för äldre. Företagarna lyfte "
                "handläggningstider och kompetensförsörjning.</p>"
            ),
            next_steps_sv=(
                "<p>Förslagen om bostäder och service har tagits med i arbetet med delmålet om "
                "fler bostäder och en trygg och attraktiv livsmiljö. Företagarnas synpunkter "
                "ligger till grund för delmålet om näringslivets förutsättningar.</p>"
            ),
            decisions_expected_sv="Kommunfullmäktige antog målen den 16 december 2019.",
            decisions_expected_en="The Municipal Council adopted the goals on 16 December 2019.",
            published=local(2019, 12, 18, 10, 15),
        ),
    ),
    DemoDialogue(
        slug="munktorp-2019",
        framework=KOPING,
        title_sv="Medborgardialog i Munktorp",
        title_en="Citizen dialogue in Munktorp",
        description_sv=CITIZEN_DIALOGUE_SV.format(place="Munktorp"),
        description_en=CITIZEN_DIALOGUE_EN.format(place="Munktorp"),
        format=DialogueFormat.CITIZEN_DIALOGUE,
        level=Level.DIALOGUE,
        status=DialogueStatus.CLOSED,
        audiences=(Group.RESIDENTS,),
        focus=("1.2", "2.2"),
        place_name="Munktorps bygdegård",
        address="Munktorp",
        accessibility_sv="Entré med ett trappsteg; ramp finns att lägga ut.",
        accessibility_en="Entrance with one step; a ramp can be put out.",
        influence_sv=DIALOGUE_INFLUENCE_SV,
        influence_en=DIALOGUE_INFLUENCE_EN,
        starts_at=local(2019, 4, 24, 18),
        notes=(
            (
                Group.RESIDENTS,
                "2.2",
                "Skolbussen går för sällan, barnen får vänta länge efter skolan.",
            ),
            (
                Group.RESIDENTS,
                "2.2",
                "Ta vara på lantbruket – närproducerad mat i skolor och äldreboenden.",
            ),
            (
                Group.RESIDENTS,
                "1.2",
                "Promenadstigar och motionsspår runt byn skulle göra stor skillnad för folkhälsan.",
            ),
            (
                Group.RESIDENTS,
                None,
                "Bredband till alla gårdar, det är en förutsättning för att bo kvar på landet.",
            ),
            (
                Group.RESIDENTS,
                "1.1",
                "Ha dialoger som den här varje år, inte bara när målen ska skrivas om.",
            ),
        ),
        headcount={Group.RESIDENTS: 19},
    ),
    DemoDialogue(
        slug="himmeta-2019",
        framework=KOPING,
        title_sv="Medborgardialog i Himmeta",
        title_en="Citizen dialogue in Himmeta",
        description_sv=CITIZEN_DIALOGUE_SV.format(place="Himmeta"),
        description_en=CITIZEN_DIALOGUE_EN.format(place="Himmeta"),
        format=DialogueFormat.CITIZEN_DIALOGUE,
        level=Level.DIALOGUE,
        status=DialogueStatus.CLOSED,
        audiences=(Group.RESIDENTS, Group.ASSOCIATIONS),
        focus=("1.1", "2.2"),
        place_name="Himmeta bygdegård",
        address="Himmeta",
        starts_at=local(2019, 5, 7, 18, 30),
        facilitated=False,
        notes=(
            (
                Group.RESIDENTS,
                "2.2",
                "Skydda sjöarna och våtmarkerna, de är det finaste vi har här.",
            ),
            (
                Group.ASSOCIATIONS,
                "1.1",
                "Bygdeföreningen vill vara remissinstans när kommunen planerar något här ute.",
            ),
            (Group.RESIDENTS, None, "Vägarna är i dåligt skick, särskilt på våren."),
            (Group.RESIDENTS, "1.2", "Äldre som bor ensamma på landsbygden behöver mötesplatser."),
        ),
        headcount={Group.RESIDENTS: 11, Group.ASSOCIATIONS: 3},
    ),
    DemoDialogue(
        slug="workshop-politiker-2019",
        framework=KOPING,
        title_sv="Workshop med kommunfullmäktiges ledamöter",
        title_en="Workshop with the members of the Municipal Council",
        description_sv=(
            "<p>Fullmäktiges ledamöter och ersättare går igenom vad som kommit fram i "
            "medborgardialogerna och formulerar förslag till målområden och delmål.</p>"
        ),
        description_en=(
            "<p>The council's members and substitutes go through what came up in the citizen "
            "dialogues and draft proposals for goal areas and sub-goals.</p>"
        ),
        format=DialogueFormat.WORKSHOP,
        level=Level.INFLUENCE,
        status=DialogueStatus.REPORTED,
        audiences=(Group.POLITICIANS,),
        focus=("1", "2", "3"),
        place_name="Köpings stadshus, sessionssalen",
        address="Köping",
        starts_at=local(2019, 9, 5, 13),
        hours=4,
        notes=(
            (
                Group.POLITICIANS,
                "1",
                "Behåll målbilden ”Tillsammans skapar vi vår framtid” – den är väl känd och har "
                "brett stöd.",
            ),
            (
                Group.POLITICIANS,
                "1.1",
                "Delaktighet måste bli ett eget delmål, det var det tydligaste budskapet från "
                "dialogerna.",
            ),
            (
                Group.POLITICIANS,
                "2.1",
                "Bostadsbyggandet är avgörande för att Köping ska växa; koppla målet till antal "
                "färdigställda bostäder.",
            ),
            (
                Group.POLITICIANS,
                "2.2",
                "Klimatmålet ska gå att mäta, till exempel utsläpp per invånare.",
            ),
            (
                Group.POLITICIANS,
                "3.1",
                "Näringslivet efterfrågar kompetens – vuxenutbildningen och gymnasiet behöver vara"
                " med.",
            ),
            (
                Group.POLITICIANS,
                "1.2",
                "Folkhälsan skiljer sig mellan stadsdelarna; målet bör handla om jämlik hälsa.",
            ),
        ),
        headcount={Group.POLITICIANS: 41},
        report=DemoReport(
            heard_sv=(
                "<p>Ledamöterna var eniga om att behålla målbilden och om tre målområden: "
                "demokrati och delaktighet, hållbar tillväxt samt attraktivitet för människor "
                "och företag. Delaktighet och jämlik folkhälsa blev egna delmål.</p>"
            ),
            next_steps_sv=(
                "<p>Förslaget bearbetades med förvaltningarna och de fackliga organisationerna "
                "under hösten och lämnades till kommunstyrelsen i november.</p>"
            ),
            decisions_expected_sv="Kommunfullmäktige beslutade den 16 december 2019.",
            decisions_expected_en="The Municipal Council decided on 16 December 2019.",
            published=local(2019, 12, 18, 10, 30),
        ),
    ),
    DemoDialogue(
        slug="workshop-chefer-2019",
        framework=KOPING,
        title_sv="Workshop med kommunens chefer",
        title_en="Workshop with the municipality's managers",
        description_sv=(
            "<p>Förvaltnings- och enhetschefer diskuterar hur målen kan styra verksamheten "
            "och hur de ska följas upp i kvalitetsarbetet.</p>"
        ),
        description_en=(
            "<p>Department and unit managers discuss how the goals can steer the services "
            "and how they are followed up in quality work.</p>"
        ),
        format=DialogueFormat.WORKSHOP,
        level=Level.DIALOGUE,
        status=DialogueStatus.CLOSED,
        audiences=(Group.MANAGERS,),
        focus=("1.1", "2.2", "3.1"),
        place_name="Köpings stadshus",
        address="Köping",
        starts_at=local(2019, 9, 19, 9),
        hours=3,
        notes=(
            (
                Group.MANAGERS,
                None,
                "Färre mål men tydligare – vi behöver kunna prioritera i grunduppdraget.",
            ),
            (
                Group.MANAGERS,
                "3.1",
                "Myndighetsutövningen ska vara snabb och förutsägbar; mät handläggningstider.",
            ),
            (
                Group.MANAGERS,
                "2.2",
                "Fossilfria tjänsteresor och måltider med lägre klimatavtryck går att genomföra "
                "snabbt.",
            ),
            (
                Group.MANAGERS,
                "1.1",
                "Medarbetarna möter invånarna varje dag – använd deras kunskap i dialogerna.",
            ),
        ),
        headcount={Group.MANAGERS: 33},
    ),
    DemoDialogue(
        slug="workshop-fack-2019",
        framework=KOPING,
        title_sv="Workshop med de fackliga organisationerna",
        title_en="Workshop with the trade unions",
        description_sv=(
            "<p>Företrädare för de fackliga organisationerna ger sin syn på förslaget till "
            "nya mål, särskilt vad de betyder för medarbetarna.</p>"
        ),
        description_en=(
            "<p>Trade union representatives give their view of the proposed goals, in "
            "particular what they mean for the employees.</p>"
        ),
        format=DialogueFormat.WORKSHOP,
        level=Level.CONSULT,
        status=DialogueStatus.CLOSED,
        audiences=(Group.UNIONS,),
        focus=("1.2", "3.1"),
        place_name="Köpings stadshus",
        address="Köping",
        starts_at=local(2019, 10, 3, 13),
        hours=2,
        notes=(
            (
                Group.UNIONS,
                "1.2",
                "Arbetsmiljön är en del av folkhälsan – kommunen som arbetsgivare ska gå före.",
            ),
            (
                Group.UNIONS,
                "3.1",
                "Kompetensutveckling för de anställda behövs lika mycket som för näringslivet.",
            ),
            (Group.UNIONS, None, "Följ upp målen med personalen, inte bara i årsredovisningen."),
        ),
        headcount={Group.UNIONS: 9},
    ),
)


def _vagval_dialogues(now: datetime) -> tuple[DemoDialogue, ...]:
    today = now.astimezone(STOCKHOLM).date()
    workshop_day = today + timedelta(days=16)
    return (
        DemoDialogue(
            slug="vagval-2020-samrad",
            framework=VAGVAL,
            title_sv="Vägval 2020: hur ska Landskrona prioritera?",
            title_en="Vägval 2020: how should Landskrona prioritise?",
            description_sv=(
                "<p>Vägval 2020 pekar ut fem prioriterade områden: hållbar välfärd, tillväxt, "
                "trygghet, klimat och folkhälsa. Nu tar förvaltningarna fram handlingsplaner "
                "för de kommande åren – och vi vill veta vad du tycker är viktigast att göra "
                "först.</p><p>Skriv dina förslag och synpunkter här på webben medan samrådet "
                "är öppet.</p>"
            ),
            description_en=(
                "<p>Vägval 2020 names five priority areas: sustainable welfare, growth, safety, "
                "climate and public health. The departments are now drawing up action plans "
                "for the coming years – and we want to know what you think should come "
                "first.</p><p>Send your proposals and views here while the consultation is "
                "open.</p>"
            ),
            format=DialogueFormat.ONLINE_CONSULTATION,
            level=Level.CONSULT,
            status=DialogueStatus.OPEN,
            audiences=(Group.RESIDENTS, Group.YOUTH, Group.BUSINESSES, Group.ASSOCIATIONS),
            focus=("1", "2", "3", "4", "5"),
            influence_sv=(
                "Synpunkterna sammanställs och lämnas till kommunstyrelsen innan "
                "handlingsplanerna beslutas. De prioriterade områdena i sig ändras inte."
            ),
            influence_en=(
                "The views are compiled and given to the Executive Committee before the action "
                "plans are decided. The priority areas themselves do not change."
            ),
            opens_at=now - timedelta(days=10),
            closes_at=datetime.combine(
                today + timedelta(days=24), datetime.min.time(), STOCKHOLM
            ).astimezone(UTC),
        ),
        DemoDialogue(
            slug="vagval-2020-workshop-trygghet",
            framework=VAGVAL,
            title_sv="Workshop: trygghet i Landskrona centrum",
            title_en="Workshop: safety in central Landskrona",
            description_sv=(
                "<p>Hur gör vi centrum tryggare, på dagen och på kvällen? Tillsammans med "
                "polisen, fastighetsägare och föreningar arbetar vi i små grupper med förslag "
                "till handlingsplanen för det prioriterade området trygghet.</p>"
                "<p>Anmäl dig, antalet platser är begränsat. Vi bjuder på fika.</p>"
            ),
            description_en=(
                "<p>How do we make the centre safer, by day and in the evening? Together with "
                "the police, property owners and associations we work in small groups on "
                "proposals for the action plan for the priority area of safety.</p>"
                "<p>Please sign up; places are limited. Coffee is on us.</p>"
            ),
            format=DialogueFormat.WORKSHOP,
            level=Level.DIALOGUE,
            status=DialogueStatus.PLANNED,
            audiences=(Group.RESIDENTS, Group.ASSOCIATIONS, Group.BUSINESSES),
            focus=("3", "5"),
            place_name="Landskrona stadsbibliotek",
            address="Landskrona",
            accessibility_sv=(
                "Hiss och tillgänglig toalett. Säg till vid anmälan om du behöver tolk eller "
                "hörslinga."
            ),
            accessibility_en=(
                "Lift and accessible toilet. Tell us when you sign up if you need an "
                "interpreter or a hearing loop."
            ),
            influence_sv=(
                "Förslagen från gruppernas arbete tas med i handlingsplanen för trygghet, som "
                "kommunstyrelsen beslutar om."
            ),
            influence_en=(
                "The groups' proposals go into the action plan for safety, which the Executive "
                "Committee decides on."
            ),
            starts_at=datetime(
                workshop_day.year, workshop_day.month, workshop_day.day, 17, 30, tzinfo=STOCKHOLM
            ).astimezone(UTC),
            registration=True,
            capacity=30,
            registrants=(
                ("Amira Hassan", "amira.hassan@example.se", "Tolk till arabiska"),
                ("Göran Lindqvist", "goran.lindqvist@example.se", None),
                ("Sofia Bergström", "sofia.bergstrom@example.se", "Hörslinga"),
            ),
        ),
    )


def _goals_by_code(framework: Framework) -> dict[str, Goal]:
    return {goal.code: goal for goal in framework.goals}


def _build(data: DemoDialogue, framework: Framework, facilitator: User | None) -> Dialogue:
    goals = _goals_by_code(framework)
    description_sv = clean_html(data.description_sv)
    description_en = clean_html(data.description_en)
    starts_at = data.starts_at
    dialogue = Dialogue(
        slug=data.slug,
        framework=framework,
        title_sv=data.title_sv,
        title_en=data.title_en,
        description_html_sv=description_sv,
        description_text_sv=plain_text(description_sv),
        description_html_en=description_en,
        description_text_en=plain_text(description_en),
        format=data.format.value,
        level=data.level.value,
        influence_sv=data.influence_sv,
        influence_en=data.influence_en,
        place_name=data.place_name,
        address=data.address,
        accessibility_sv=data.accessibility_sv,
        accessibility_en=data.accessibility_en,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=data.hours) if starts_at else None,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        moderation=Moderation.AFTER.value,
        registration_enabled=data.registration,
        capacity=data.capacity,
        status=data.status.value,
        is_example=True,
        facilitators=[facilitator] if facilitator is not None and data.facilitated else [],
        focus_links=[
            DialogueGoal(goal=goals[code], position=position)
            for position, code in enumerate(data.focus)
            if code in goals
        ],
        audience_links=[DialogueAudience(audience=group.value) for group in data.audiences],
        headcounts=[
            Headcount(group=group.value, count=number) for group, number in data.headcount.items()
        ],
    )
    if data.report is not None:
        dialogue.report = _report(data.report, facilitator)
    db.session.add(dialogue)
    db.session.flush()
    return dialogue


def _report(data: DemoReport, facilitator: User | None) -> FeedbackReport:
    heard_sv, next_sv = clean_html(data.heard_sv), clean_html(data.next_steps_sv)
    heard_en = clean_html(data.heard_en) if data.heard_en else None
    next_en = clean_html(data.next_steps_en) if data.next_steps_en else None
    return FeedbackReport(
        heard_html_sv=heard_sv,
        heard_text_sv=plain_text(heard_sv),
        heard_html_en=heard_en,
        heard_text_en=plain_text(heard_en) if heard_en else None,
        next_steps_html_sv=next_sv,
        next_steps_text_sv=plain_text(next_sv),
        next_steps_html_en=next_en,
        next_steps_text_en=plain_text(next_en) if next_en else None,
        decisions_expected_sv=data.decisions_expected_sv,
        decisions_expected_en=data.decisions_expected_en,
        published_at=data.published,
        published_by_id=facilitator.id if facilitator is not None else None,
    )


def _add_notes(
    dialogue: Dialogue, data: DemoDialogue, framework: Framework, actor: User | None
) -> None:
    goals = _goals_by_code(framework)
    start = data.starts_at or utcnow()
    for minute, (group, code, text) in enumerate(data.notes):
        note = add_workshop_note(
            dialogue.id, text, group.value, goals.get(code) if code else None, actor
        )
        # Captured during the event, a few minutes apart.
        note.created_at = note.published_at = note.updated_at = start + timedelta(
            minutes=20 + 4 * minute
        )


def _add_registrants(dialogue: Dialogue, data: DemoDialogue) -> None:
    for number, (name, email, needs) in enumerate(data.registrants):
        # A token nobody holds: the demo registrants get no email and cannot cancel.
        unusable = hashlib.sha256(f"demo:{dialogue.slug}:{number}".encode()).hexdigest()
        db.session.add(
            Registration(
                dialogue=dialogue,
                name=name,
                email=email,
                needs=needs,
                status=RegistrationStatus.CONFIRMED.value,
                cancel_token_hash=unusable,
            )
        )


def ensure_demo_dialogues(now: datetime | None = None) -> list[Dialogue]:
    """Create the demo dialogues that are missing; leave existing ones as they are.

    Dialogues of a framework that is not loaded are skipped.
    """
    now = now or utcnow()
    facilitator = user_by_email(FACILITATOR_EMAIL)
    frameworks = {slug: framework_with_goals(slug) for slug in (KOPING, VAGVAL)}
    dialogues = []
    for data in KOPING_DIALOGUES + _vagval_dialogues(now):
        existing = dialogue_by_slug(data.slug)
        if existing is not None:
            dialogues.append(existing)
            continue
        framework = frameworks.get(data.framework)
        if framework is None:
            continue
        dialogue = _build(data, framework, facilitator)
        _add_notes(dialogue, data, framework, facilitator)
        _add_registrants(dialogue, data)
        db.session.flush()
        dialogues.append(dialogue)
    return dialogues
