"""Demo goal frameworks: Köping's goals 2020–2027 and Landskrona's strategy Vägval.

The frameworks, visions and goals are worded as in the source pages (see
/work/shared/seeds: Köping's news item of 2019-12-17, Landskrona's page on Vägval), with
English translations. The sources give no Agenda 2030 links or indicators: the ones here
are made up, marked ``is_example`` and shown as example data. The Kolada KPI ids of the
example indicators are illustrative only.

Loading is idempotent: a framework whose slug exists is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dialog.extensions import db
from dialog.goals.models import (
    DatePrecision,
    Direction,
    Framework,
    FrameworkKind,
    FrameworkStatus,
    Goal,
    GoalKind,
    GoalSdg,
    Indicator,
    Measurement,
    MeasurementSource,
)
from dialog.goals.queries import framework_by_slug
from dialog.goals.services import ensure_sdgs

KOPING = "1983"
LANDSKRONA = "1282"


@dataclass(frozen=True)
class DemoIndicator:
    name_sv: str
    name_en: str
    unit_sv: str
    unit_en: str
    direction: Direction
    baseline: tuple[int, float]
    target: tuple[int, float]
    values: tuple[tuple[int, float], ...]
    kolada_kpi: str | None = None
    municipality_code: str | None = None


@dataclass(frozen=True)
class DemoGoal:
    code: str
    kind: GoalKind
    title_sv: str
    title_en: str
    statement_sv: str | None = None
    statement_en: str | None = None
    sdgs: tuple[int, ...] = ()
    indicators: tuple[DemoIndicator, ...] = ()
    children: tuple[DemoGoal, ...] = ()
    lineage: str | None = None


@dataclass(frozen=True)
class DemoFramework:
    slug: str
    kind: FrameworkKind
    status: FrameworkStatus
    title_sv: str
    title_en: str
    period: tuple[int, int | None]
    vision_sv: str | None = None
    vision_en: str | None = None
    summary_sv: str | None = None
    summary_en: str | None = None
    adopted_on: date | None = None
    precision: DatePrecision = DatePrecision.DAY
    adopted_by_sv: str | None = None
    adopted_by_en: str | None = None
    supersedes: str | None = None
    goals: tuple[DemoGoal, ...] = field(default_factory=tuple)


PERCENT = ("procent", "per cent")
KOPING_VISION = ("Tillsammans skapar vi vår framtid", "Together we create our future")


def _percent_indicator(
    name_sv: str,
    name_en: str,
    baseline: tuple[int, float],
    target: tuple[int, float],
    values: tuple[tuple[int, float], ...],
    kolada_kpi: str | None = None,
    municipality_code: str | None = None,
) -> DemoIndicator:
    return DemoIndicator(
        name_sv,
        name_en,
        *PERCENT,
        Direction.HIGHER,
        baseline,
        target,
        values,
        kolada_kpi,
        municipality_code,
    )


KOPING_GOALS = (
    DemoGoal(
        "1",
        GoalKind.AREA,
        "När vi säger tillsammans menar vi det",
        "When we say together, we mean it",
        "När vi säger tillsammans menar vi det – Köpings kommun har en levande demokrati där "
        "delaktighet och kommunikation bygger tillit.",
        "When we say together, we mean it – Köping Municipality has a living democracy where "
        "participation and communication build trust.",
        sdgs=(16,),
        children=(
            DemoGoal(
                "1.1",
                GoalKind.SUB_GOAL,
                "Vi erbjuder möjligheter att påverka och vara delaktig i utformningen av "
                "samhället.",
                "We offer opportunities to influence and take part in shaping society.",
                sdgs=(16,),
                indicators=(
                    _percent_indicator(
                        "Andel invånare som anser att de kan påverka kommunens beslut",
                        "Share of residents who feel they can influence the municipality's "
                        "decisions",
                        (2019, 38),
                        (2027, 50),
                        ((2019, 38), (2020, 40), (2021, 41), (2022, 43), (2023, 44)),
                    ),
                ),
            ),
            DemoGoal(
                "1.2",
                GoalKind.SUB_GOAL,
                "Tillsammans skapar vi förutsättningar för en förbättrad och jämlik folkhälsa",
                "Together we create the conditions for better and more equal public health",
                sdgs=(3, 10),
                indicators=(
                    _percent_indicator(
                        "Andel invånare 16–84 år med bra självskattad hälsa",
                        "Share of residents aged 16–84 who rate their health as good",
                        (2018, 68),
                        (2027, 72),
                        ((2018, 68), (2020, 69), (2022, 70)),
                    ),
                ),
            ),
        ),
    ),
    DemoGoal(
        "2",
        GoalKind.AREA,
        "Vi växer med ansvar",
        "We grow responsibly",
        "Vi växer med ansvar – Köping ska vara en hållbar, trygg och inspirerande kommun som "
        "ger förutsättningar för livskvalitet.",
        "We grow responsibly – Köping shall be a sustainable, safe and inspiring municipality "
        "that gives the conditions for a good quality of life.",
        sdgs=(11, 13),
        children=(
            DemoGoal(
                "2.1",
                GoalKind.SUB_GOAL,
                "Vi skapar förutsättningar för fler bostäder och arbetar för en trygg och "
                "attraktiv livsmiljö",
                "We create the conditions for more housing and work for a safe and attractive "
                "living environment",
                sdgs=(11,),
                indicators=(
                    DemoIndicator(
                        "Antal färdigställda bostäder",
                        "Number of homes completed",
                        "bostäder",
                        "homes",
                        Direction.HIGHER,
                        (2019, 45),
                        (2027, 120),
                        ((2019, 45), (2020, 62), (2021, 80), (2022, 71), (2023, 95)),
                        "N00913",
                        KOPING,
                    ),
                ),
            ),
            DemoGoal(
                "2.2",
                GoalKind.SUB_GOAL,
                "Vi arbetar aktivt för en hållbar miljö och minskad klimatpåverkan",
                "We work actively for a sustainable environment and a smaller climate impact",
                sdgs=(7, 12, 13),
                indicators=(
                    DemoIndicator(
                        "Utsläpp av växthusgaser per invånare",
                        "Greenhouse gas emissions per resident",
                        "ton koldioxidekvivalenter",
                        "tonnes of CO₂ equivalent",
                        Direction.LOWER,
                        (2019, 5.1),
                        (2027, 3.5),
                        ((2019, 5.1), (2020, 4.8), (2021, 4.7), (2022, 4.4)),
                    ),
                ),
            ),
        ),
    ),
    DemoGoal(
        "3",
        GoalKind.AREA,
        "Det vi erbjuder lockar",
        "What we offer attracts",
        "Det vi erbjuder lockar – Köping ska vara en kommun där människor och företag vill "
        "etablera sig och växa och där kompetens både finns och skapas.",
        "What we offer attracts – Köping shall be a municipality where people and businesses "
        "want to settle and grow, and where skills both exist and are created.",
        sdgs=(8,),
        children=(
            DemoGoal(
                "3.1",
                GoalKind.SUB_GOAL,
                "Vi skapar bra förutsättningar för näringslivet genom kompetensutveckling, "
                "service och myndighetsutövning",
                "We create good conditions for business through skills development, service "
                "and the exercise of public authority",
                sdgs=(4, 8, 9),
                indicators=(
                    DemoIndicator(
                        "Företagens nöjdhet med kommunens myndighetsutövning (NKI)",
                        "Businesses' satisfaction with the municipality's regulatory services "
                        "(customer satisfaction index)",
                        "index",
                        "index",
                        Direction.HIGHER,
                        (2019, 70),
                        (2027, 78),
                        ((2019, 70), (2020, 72), (2021, 71), (2022, 74), (2023, 75)),
                    ),
                ),
            ),
        ),
    ),
)

KOPING_SUMMARY_SV = (
    "Kommunfullmäktige antog den 16 december 2019 nya övergripande mål för Köpings kommun. "
    "Målen gäller från januari 2020 till 2027 och fokuserar bland annat på demokrati och "
    "delaktighet, bostäder och näringsliv. Förutom de tre målområdena finns ett stort fokus på "
    "att arbeta med kvalitet i grunduppdraget, det vill säga kommunens alla verksamheter.\n\n"
    "Målen togs fram under 2019, bland annat med medborgardialoger runtom i kommunen och "
    "workshops tillsammans med politiker, chefer och fack. Målen är kopplade till FN:s "
    "hållbarhetsmål Agenda 2030, och mätbara indikatorer är kopplade till respektive delmål."
)
KOPING_SUMMARY_EN = (
    "On 16 December 2019 the Municipal Council adopted new overall goals for Köping "
    "Municipality. They apply from January 2020 until 2027 and focus, among other things, on "
    "democracy and participation, housing and business. Besides the three goal areas there is "
    "a strong focus on quality in the core mission, that is, in all of the municipality's "
    "services.\n\n"
    "The goals were drawn up during 2019, among other things through citizen dialogues around "
    "the municipality and workshops with politicians, managers and unions. They are linked to "
    "the UN's Agenda 2030 goals, and measurable indicators are linked to each sub-goal."
)

TILLVAXT_LINEAGE = "demo-landskrona-tillvaxt"

VAGVAL_2010_GOALS = (
    DemoGoal(
        "1", GoalKind.PRIORITY_AREA, "Tillväxt", "Growth", sdgs=(8,), lineage=TILLVAXT_LINEAGE
    ),
    DemoGoal("2", GoalKind.PRIORITY_AREA, "Skola", "School", sdgs=(4,)),
    DemoGoal("3", GoalKind.PRIORITY_AREA, "Leva och bo", "Living and housing", sdgs=(11,)),
    DemoGoal(
        "4", GoalKind.PRIORITY_AREA, "Hållbart samhälle", "Sustainable society", sdgs=(11, 13)
    ),
    DemoGoal(
        "5",
        GoalKind.PRIORITY_AREA,
        "Landskronaborna i fokus",
        "The people of Landskrona in focus",
        sdgs=(10, 16),
    ),
)

VAGVAL_2020_GOALS = (
    DemoGoal(
        "1",
        GoalKind.PRIORITY_AREA,
        "Hållbar välfärd",
        "Sustainable welfare",
        sdgs=(3, 4, 10),
        indicators=(
            _percent_indicator(
                "Andel elever i årskurs 9 som är behöriga till gymnasiets yrkesprogram",
                "Share of year 9 pupils eligible for upper secondary vocational programmes",
                (2019, 78.0),
                (2026, 88),
                ((2019, 78.0), (2020, 80.3), (2021, 79.1), (2022, 81.4)),
                "N15446",
                LANDSKRONA,
            ),
        ),
    ),
    DemoGoal(
        "2",
        GoalKind.PRIORITY_AREA,
        "Tillväxt",
        "Growth",
        sdgs=(8, 9),
        lineage=TILLVAXT_LINEAGE,
        indicators=(
            _percent_indicator(
                "Förvärvsarbetande invånare 20–64 år",
                "Residents aged 20–64 in employment",
                (2019, 71.2),
                (2026, 75),
                ((2019, 71.2), (2020, 70.1), (2021, 71.5), (2022, 72.8)),
                "N00914",
                LANDSKRONA,
            ),
        ),
    ),
    DemoGoal(
        "3",
        GoalKind.PRIORITY_AREA,
        "Trygghet",
        "Safety",
        sdgs=(11, 16),
        indicators=(
            _percent_indicator(
                "Andel invånare som känner sig trygga utomhus på kvällen",
                "Share of residents who feel safe outdoors in the evening",
                (2020, 58),
                (2026, 70),
                ((2020, 58), (2021, 61), (2022, 63)),
            ),
        ),
    ),
    DemoGoal(
        "4",
        GoalKind.PRIORITY_AREA,
        "Klimat",
        "Climate",
        sdgs=(7, 13),
        indicators=(
            DemoIndicator(
                "Utsläpp av växthusgaser per invånare",
                "Greenhouse gas emissions per resident",
                "ton koldioxidekvivalenter",
                "tonnes of CO₂ equivalent",
                Direction.LOWER,
                (2019, 4.2),
                (2030, 2.0),
                ((2019, 4.2), (2020, 3.9), (2021, 4.0), (2022, 3.7)),
            ),
        ),
    ),
    DemoGoal(
        "5",
        GoalKind.PRIORITY_AREA,
        "Folkhälsa",
        "Public health",
        sdgs=(3,),
        indicators=(
            _percent_indicator(
                "Andel invånare med bra självskattad hälsa",
                "Share of residents who rate their health as good",
                (2018, 66),
                (2026, 72),
                ((2018, 66), (2020, 67), (2022, 68)),
            ),
        ),
    ),
)

DEMO_FRAMEWORKS = (
    DemoFramework(
        slug="koping-2013-2019",
        kind=FrameworkKind.PROGRAMME,
        status=FrameworkStatus.SUPERSEDED,
        title_sv="Köpings kommuns mål 2013–2019",
        title_en="Köping Municipality's goals 2013–2019",
        period=(2013, 2019),
        vision_sv=KOPING_VISION[0],
        vision_en=KOPING_VISION[1],
        summary_sv=(
            "Köpings kommuns övergripande mål för 2013–2019. De ersattes från januari 2020 av "
            "Köpings kommuns mål 2020–2027. De enskilda målen finns inte i Dialog."
        ),
        summary_en=(
            "Köping Municipality's overall goals for 2013–2019. They were replaced from "
            "January 2020 by Köping Municipality's goals 2020–2027. The individual goals are "
            "not recorded in Dialog."
        ),
    ),
    DemoFramework(
        slug="koping-2020-2027",
        kind=FrameworkKind.PROGRAMME,
        status=FrameworkStatus.ADOPTED,
        title_sv="Köpings kommuns mål 2020–2027",
        title_en="Köping Municipality's goals 2020–2027",
        period=(2020, 2027),
        vision_sv=KOPING_VISION[0],
        vision_en=KOPING_VISION[1],
        summary_sv=KOPING_SUMMARY_SV,
        summary_en=KOPING_SUMMARY_EN,
        adopted_on=date(2019, 12, 16),
        adopted_by_sv="Kommunfullmäktige",
        adopted_by_en="Municipal Council",
        supersedes="koping-2013-2019",
        goals=KOPING_GOALS,
    ),
    DemoFramework(
        slug="landskrona-vagval",
        kind=FrameworkKind.STRATEGY,
        status=FrameworkStatus.SUPERSEDED,
        title_sv="Landskrona Vägval",
        title_en="Landskrona Vägval (Choice of Direction)",
        period=(2010, 2020),
        summary_sv=(
            "Det politiska inriktningsdokument som Landskrona stad arbetat efter sedan 2010. "
            "Vägvalet tar sitt avstamp i ett antal konstaterade utmaningar och ger en inriktning "
            "till hur dessa ska angripas genom att peka ut fem prioriterade områden som spänner "
            "över hela Landskrona stads uppdrag."
        ),
        summary_en=(
            "The political policy document the City of Landskrona has worked by since 2010. It "
            "starts from a number of identified challenges and sets out how to meet them by "
            "naming five priority areas that span the whole of the city's mission."
        ),
        adopted_on=date(2010, 1, 1),
        precision=DatePrecision.YEAR,
        goals=VAGVAL_2010_GOALS,
    ),
    DemoFramework(
        slug="landskrona-vagval-2020",
        kind=FrameworkKind.STRATEGY,
        status=FrameworkStatus.ADOPTED,
        title_sv="Vägval 2020",
        title_en="Vägval 2020 (Choice of Direction 2020)",
        period=(2020, None),
        summary_sv=(
            "I november 2020 fattade politikerna i Landskrona beslut om Vägval 2020. Dokumentet "
            "tar avstamp i de utmaningar som Landskrona stad och andra kommuner i Sverige står "
            "inför när förutsättningarna för välfärden förändras: befolkningen blir äldre och "
            "behoven av välfärd ökar. Den gemensamma utmaningen är att hitta lösningar för att "
            "skapa en hållbar välfärd.\n\n"
            "Till de prioriterade områdena finns en strategi och handlingsplan för hur samtliga "
            "förvaltningar inom Landskrona stad ska arbeta de kommande åren."
        ),
        summary_en=(
            "In November 2020 Landskrona's politicians decided on Vägval 2020. The document "
            "starts from the challenges that the City of Landskrona and other Swedish "
            "municipalities face as the conditions for welfare change: the population grows "
            "older and the need for welfare grows. The shared challenge is to find ways to "
            "make welfare sustainable.\n\n"
            "For the priority areas there is a strategy and action plan for how every "
            "department of the City of Landskrona is to work in the coming years."
        ),
        adopted_on=date(2020, 11, 1),
        precision=DatePrecision.MONTH,
        supersedes="landskrona-vagval",
        goals=VAGVAL_2020_GOALS,
    ),
)


def _build_indicator(data: DemoIndicator, position: int) -> Indicator:
    source = MeasurementSource.KOLADA if data.kolada_kpi else MeasurementSource.MANUAL
    return Indicator(
        name_sv=data.name_sv,
        name_en=data.name_en,
        unit_sv=data.unit_sv,
        unit_en=data.unit_en,
        direction=data.direction.value,
        baseline_year=data.baseline[0],
        baseline_value=data.baseline[1],
        target_year=data.target[0],
        target_value=data.target[1],
        kolada_kpi=data.kolada_kpi,
        municipality_code=data.municipality_code,
        position=position,
        is_example=True,
        measurements=[
            Measurement(year=year, value=value, source=source.value) for year, value in data.values
        ],
    )


def _build_goals(
    framework: Framework, goals: tuple[DemoGoal, ...], parent: Goal | None, lineages: dict
) -> None:
    for position, data in enumerate(goals):
        goal = Goal(
            framework=framework,
            parent=parent,
            kind=data.kind.value,
            code=data.code,
            title_sv=data.title_sv,
            title_en=data.title_en,
            statement_sv=data.statement_sv,
            statement_en=data.statement_en,
            position=position,
            sdg_links=[GoalSdg(sdg_number=number, is_example=True) for number in data.sdgs],
            indicators=[_build_indicator(i, n) for n, i in enumerate(data.indicators)],
        )
        db.session.add(goal)
        if data.lineage is not None:
            goal.lineage = data.lineage
            goal.copied_from_id = lineages.get(data.lineage)
        _build_goals(framework, data.children, goal, lineages)


def _existing_lineages(supersedes: Framework | None) -> dict[str, int]:
    if supersedes is None:
        return {}
    return {goal.lineage: goal.id for goal in supersedes.goals}


def ensure_demo_goals() -> list[Framework]:
    """Create the demo frameworks that are missing; leave existing ones as they are."""
    ensure_sdgs()
    frameworks = []
    for data in DEMO_FRAMEWORKS:
        framework = framework_by_slug(data.slug)
        if framework is None:
            supersedes = framework_by_slug(data.supersedes) if data.supersedes else None
            framework = Framework(
                slug=data.slug,
                kind=data.kind.value,
                status=data.status.value,
                title_sv=data.title_sv,
                title_en=data.title_en,
                vision_sv=data.vision_sv,
                vision_en=data.vision_en,
                summary_sv=data.summary_sv,
                summary_en=data.summary_en,
                period_start=data.period[0],
                period_end=data.period[1],
                adopted_on=data.adopted_on,
                adopted_on_precision=data.precision.value,
                adopted_by_sv=data.adopted_by_sv,
                adopted_by_en=data.adopted_by_en,
                supersedes=supersedes,
            )
            db.session.add(framework)
            _build_goals(framework, data.goals, None, _existing_lineages(supersedes))
            db.session.flush()
        frameworks.append(framework)
    return frameworks
