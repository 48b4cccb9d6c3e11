"""The 17 Agenda 2030 goals: number, official Swedish name (Globala målen) and UN English name.

The migration carries its own copy, so every installation has them; tests and the demo
loader use this one, and a test checks that the two agree.
"""

from __future__ import annotations

SDGS: tuple[tuple[int, str, str], ...] = (
    (1, "Ingen fattigdom", "No Poverty"),
    (2, "Ingen hunger", "Zero Hunger"),
    (3, "Hälsa och välbefinnande", "Good Health and Well-being"),
    (4, "God utbildning för alla", "Quality Education"),
    (5, "Jämställdhet", "Gender Equality"),
    (6, "Rent vatten och sanitet för alla", "Clean Water and Sanitation"),
    (7, "Hållbar energi för alla", "Affordable and Clean Energy"),
    (8, "Anständiga arbetsvillkor och ekonomisk tillväxt", "Decent Work and Economic Growth"),
    (
        9,
        "Hållbar industri, innovationer och infrastruktur",
        "Industry, Innovation and Infrastructure",
    ),
    (10, "Minskad ojämlikhet", "Reduced Inequalities"),
    (11, "Hållbara städer och samhällen", "Sustainable Cities and Communities"),
    (12, "Hållbar konsumtion och produktion", "Responsible Consumption and Production"),
    (13, "Bekämpa klimatförändringarna", "Climate Action"),
    (14, "Hav och marina resurser", "Life Below Water"),
    (15, "Ekosystem och biologisk mångfald", "Life on Land"),
    (16, "Fredliga och inkluderande samhällen", "Peace, Justice and Strong Institutions"),
    (17, "Genomförande och globalt partnerskap", "Partnerships for the Goals"),
)
