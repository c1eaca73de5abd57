"""The demo school's curriculum and people, as data (the seeding logic is in seed.py)."""

# (area, is_academic, [(topic, level, description, [(code, scale, title, foundational, beyond)])])
CURRICULUM = [
    ("Math", True, [
        ("Fractions", 5, "Understand, compare and operate with fractions.", [
            ("M5.F.1", 2.0, "Identify equivalent fractions using models", "name parts of a whole",
             "explain why equivalence holds for any fraction"),
            ("M5.F.2", 3.0, "Add and subtract fractions with unlike denominators",
             "find common denominators", "create and solve multi-step word problems"),
            ("M5.F.3", 3.0, "Multiply a fraction by a whole number or a fraction",
             "multiply whole numbers fluently", "model products with area diagrams"),
            ("M5.F.4", 3.0, "Divide unit fractions by whole numbers", "skip-count by fractions",
             "justify the result with a story problem"),
            ("M5.F.5", 4.0, "Solve real-world problems mixing all four operations on fractions",
             "choose the operation a problem needs", "design a recipe-scaling investigation"),
        ]),
        ("Ratios & Proportional Reasoning", 6, "Use ratio reasoning to solve problems.", [
            ("M6.RP.1", 2.0, "Describe a ratio relationship between two quantities",
             "count and compare quantities", "connect ratios to fractions and rates"),
            ("M6.RP.2", 3.0, "Find unit rates and use them to compare", "divide with decimals",
             "compare rates across three or more options"),
            ("M6.RP.3", 3.0, "Use tables and double number lines for equivalent ratios",
             "extend a simple pattern", "derive the rule and graph it"),
            ("M6.RP.4", 4.0, "Solve percent problems as rates per 100",
             "relate 50%, 25% and 10% to fractions", "analyse discounts and taxes together"),
        ]),
    ]),
    ("ELA", True, [
        ("Argument Writing", 5, "Write arguments that support claims with reasons and evidence.", [
            ("E5.W.1", 2.0, "State a clear claim about a topic", "tell an opinion",
             "anticipate a reader's first objection"),
            ("E5.W.2", 3.0, "Support a claim with logically ordered reasons and evidence",
             "give one reason for an opinion", "weigh the strength of each piece of evidence"),
            ("E5.W.3", 3.0, "Link reasons with transitions (consequently, specifically)",
             "use and, because, also", "vary transitions for effect"),
            ("E5.W.4", 3.0, "Write a conclusion that follows from the argument",
             "end with a closing sentence", "call the reader to a specific action"),
            ("E5.W.5", 4.0, "Address a counterclaim and rebut it with evidence",
             "notice that people disagree", "concede a point while keeping the claim"),
        ]),
    ]),
    ("Science", True, [
        ("Ecosystems", 5, "Matter and energy flow among organisms in an ecosystem.", [
            ("S5.E.1", 2.0, "Name producers, consumers and decomposers", "sort living things",
             "explain the role of a keystone species"),
            ("S5.E.2", 3.0, "Model the movement of matter in a food web",
             "draw a simple food chain", "predict effects of removing one population"),
            ("S5.E.3", 3.0, "Explain that plants get matter mostly from air and water",
             "state what plants need", "design a test of the claim"),
            ("S5.E.4", 4.0, "Evaluate a local ecosystem's health with data", "collect observations",
             "propose and defend an intervention"),
        ]),
    ]),
    ("Lifelong Learning Skills", False, [
        ("Self-Direction", 1, "Habits of mind: planning, persisting and reflecting.", [
            ("L.SD.1", 2.0, "Set a goal with a due date", "say what they want to learn",
             "help a peer plan a goal"),
            ("L.SD.2", 3.0, "Choose activities that fit their goal and pace", "follow a given plan",
             "adjust the plan from evidence of progress"),
            ("L.SD.3", 3.0, "Reflect on evidence and name a next step", "describe what they did",
             "connect reflections across content areas"),
        ]),
        ("Collaboration", 1, "Working with others toward shared learning.", [
            ("L.CO.1", 2.0, "Take turns and listen in a group", "join a group task",
             "invite quieter voices in"),
            ("L.CO.2", 3.0, "Contribute ideas and build on others' ideas", "share one idea",
             "synthesise the group's thinking"),
            ("L.CO.3", 3.0, "Share responsibility for a group product", "complete an assigned part",
             "coordinate roles and deadlines"),
        ]),
    ]),
]

# activities per topic: (title, kind, modality, minutes)
ACTIVITIES = {
    "Fractions": [
        ("Khan-style video: equivalent fractions", "video", "independent", 8),
        ("Fraction strips reading guide", "reading", "independent", 15),
        ("Unlike denominators practice set", "practice", "independent", 25),
        ("Recipe scaling project", "project", "small_group", 90),
        ("Fraction seminar: is 1/2 always bigger than 1/3?", "seminar", "whole_group", 30),
        ("Pattern-block fraction lab", "lab", "small_group", 40),
        ("Peer tutoring: fraction division", "peer", "small_group", 20),
    ],
    "Ratios & Proportional Reasoning": [
        ("Video: what is a ratio?", "video", "independent", 7),
        ("Unit rate shopping comparison", "practice", "independent", 20),
        ("Double number line mini-lesson", "seminar", "small_group", 25),
        ("Lemonade stand ratio lab", "lab", "small_group", 45),
        ("Reading: percents in the news", "reading", "independent", 15),
        ("Design a sale flyer project", "project", "small_group", 80),
        ("Partner quiz: equivalent ratios", "peer", "small_group", 15),
    ],
    "Argument Writing": [
        ("Mentor text: should recess be longer?", "reading", "independent", 20),
        ("Video: claims, reasons, evidence", "video", "independent", 9),
        ("Transition word sort", "practice", "independent", 15),
        ("Socratic seminar: school uniforms", "seminar", "whole_group", 40),
        ("Op-ed for the school paper", "project", "independent", 120),
        ("Peer feedback protocol: counterclaims", "peer", "small_group", 25),
        ("Evidence-strength lab", "lab", "small_group", 35),
    ],
    "Ecosystems": [
        ("Video: who eats whom?", "video", "independent", 10),
        ("Food web card sort", "practice", "small_group", 20),
        ("Schoolyard ecosystem survey lab", "lab", "small_group", 60),
        ("Reading: van Helmont's willow tree", "reading", "independent", 15),
        ("Pond health data project", "project", "small_group", 100),
        ("Seminar: wolves in Yellowstone", "seminar", "whole_group", 30),
    ],
    "Self-Direction": [
        ("Goal-setting workshop", "seminar", "small_group", 20),
        ("Weekly reflection journal", "practice", "independent", 10),
        ("Pace check-in with a peer", "peer", "one_on_one", 10),
    ],
    "Collaboration": [
        ("Group roles card game", "practice", "small_group", 15),
        ("Bridge-building team challenge", "project", "small_group", 60),
        ("Reading: how good teams listen", "reading", "independent", 10),
    ],
}

# the ways each kind of activity lets a learner show mastery (Activity.show_ways, issue 18)
SHOW_WAYS = {
    "project": ["write", "make", "present", "record"],
    "lab": ["make", "record", "write"],
    "seminar": ["present", "record"],
    "peer": ["present"],
    "practice": ["write"],
    "reading": ["write", "record"],
    "video": ["write", "record"],
}

TEACHERS = [("teacher", "Ms. Rivera"), ("teacher2", "Mr. Okafor")]

# first name + last initial only: the minimum a classroom needs
LEARNERS = [
    ("student", "Maya R."), ("student2", "Eli T."), ("student3", "Ava P."),
    ("student4", "Noah P."), ("student5", "Sofia G."), ("student6", "Liam K."),
    ("student7", "Zoe H."), ("student8", "Mateo L."), ("student9", "Aria W."),
    ("student10", "Jayden M."), ("student11", "Chloe B."), ("student12", "Lucas D."),
    ("student13", "Isla N."), ("student14", "Owen S."), ("student15", "Mila C."),
    ("student16", "Ethan F."), ("student17", "Nora J."), ("student18", "Caleb V."),
    ("student19", "Leah Y."), ("student20", "Ryan O."), ("student21", "Hazel Q."),
    ("student22", "Gabriel U."), ("student23", "Ivy E."), ("student24", "Samir A."),
]

# (class name, teacher username, learner usernames)
CLASSES = [
    ("Math Studio A", "teacher", ["student", "student2"] + [f"student{i}" for i in range(3, 13)]),
    ("Math Studio B", "teacher", [f"student{i}" for i in range(13, 25)]),
    ("Writers' Workshop", "teacher2", ["student"] + [f"student{i}" for i in range(3, 13)]),
    ("Humanities Lab", "teacher2", [f"student{i}" for i in range(13, 25)]),
]

# (guardian username, display name, children)
GUARDIANS = [
    ("guardian", "Ana R. (Maya's family)", ["student"]),
    ("guardian2", "Tom T. (Eli's family)", ["student2"]),
    ("guardian3", "Priya P. (Ava and Noah's family)", ["student3", "student4"]),
]

# The district's educator catalog (teacher microcredentials; the microcredential articles):
# (microcredential, description, requirements, stipend in cents, recertification hours,
#  [(code, title, [rubric text for levels 1, 2, 3, 4])])
EDUCATOR_AREA = "Educator Microcredentials"
EDUCATOR_CATALOG = [
    ("Student-Centered Feedback", "Give feedback that moves learners toward a learning target.",
     "Submit two pieces of evidence from your own classroom (student work with your feedback, "
     "a short video or a peer observation note), each with a reflection on how it changed "
     "your teaching. Each competency must reach level 3 on its rubric.", 15000, 10.0, [
         ("EC.FB.1", "Ties feedback to a specific learning target and its rubric", [
             "Feedback is general praise or correction, not tied to a target.",
             "Feedback names the target but not what the learner did.",
             "Feedback names the target, what the learner did and one next step.",
             "Learners use the feedback to set their own next step and show it later."]),
         ("EC.FB.2", "Gives timely feedback learners act on", [
             "Feedback comes after the work is graded and closed.",
             "Feedback comes in time, but learners are not asked to use it.",
             "Learners revise or practise with the feedback within the week.",
             "Learners give one another feedback with the same rubric language."]),
     ]),
    ("Learner Goal Conferencing", "Coach learners to set, track and reflect on goals.",
     "Hold goal conferences with at least three learners; submit conference notes or a "
     "recording and a reflection on what changed in your practice.", 10000, 8.0, [
         ("EC.GC.1", "Helps a learner set a measurable goal tied to targets", [
             "Goals are set for the learner.",
             "The learner sets a goal, but it is vague or not tied to a target.",
             "The learner sets a measurable goal tied to a target, with a date.",
             "The learner revises the goal from their own evidence of progress."]),
         ("EC.GC.2", "Uses evidence from the binder in the conference", [
             "The conference is not based on evidence.",
             "Evidence is mentioned but not examined together.",
             "Teacher and learner examine evidence and agree a next step.",
             "The learner leads the conference with their own evidence."]),
         ("EC.GC.3", "Follows up on goals over time", [
             "No follow-up.",
             "Follow-up happens once, informally.",
             "Follow-up is planned and recorded for each learner.",
             "Learners follow up on their own and ask for a conference."]),
     ]),
    ("Formative Assessment in Practice", "Check for understanding and adjust teaching.",
     "Show two lessons where formative checks changed what you taught next; include "
     "student work and a reflection on the transfer to your practice.", 12500, 10.0, [
         ("EC.FA.1", "Plans checks for understanding aligned to targets", [
             "No planned checks.",
             "Checks are planned but not aligned to a target.",
             "Each lesson has an aligned check with a success criterion.",
             "Learners self-check against the success criterion."]),
         ("EC.FA.2", "Adjusts instruction from formative evidence", [
             "Instruction continues as planned whatever the evidence.",
             "Evidence is gathered but rarely changes the plan.",
             "Instruction is regrouped or retaught from the evidence.",
             "Learners choose their next activity from their own evidence."]),
     ]),
]
# what a teacher works through for each microcredential (activities aligned to its
# competencies like learners' activities): (title, kind, modality, minutes, competency codes)
EDUCATOR_ACTIVITIES = {
    "Student-Centered Feedback": [
        ("Reading: feedback that moves learning forward", "reading", "independent", 30,
         ["EC.FB.1"]),
        ("Try it in class: rubric-language feedback on one assignment", "practice",
         "independent", 45, ["EC.FB.1", "EC.FB.2"]),
        ("Peer observation: a colleague watches a feedback conference", "peer", "one_on_one",
         40, ["EC.FB.2"]),
    ],
    "Learner Goal Conferencing": [
        ("Video: a learner-led goal conference", "video", "independent", 15, ["EC.GC.1"]),
        ("Try it in class: three goal conferences with binder evidence", "practice",
         "one_on_one", 60, ["EC.GC.1", "EC.GC.2"]),
        ("Follow-up plan with your coach", "seminar", "one_on_one", 30, ["EC.GC.3"]),
    ],
    "Formative Assessment in Practice": [
        ("Reading: checks for understanding that change the next lesson", "reading",
         "independent", 25, ["EC.FA.1"]),
        ("Try it in class: an exit ticket, then regroup", "practice", "whole_group", 50,
         ["EC.FA.1", "EC.FA.2"]),
        ("Peer observation: adjusting instruction mid-lesson", "peer", "one_on_one", 40,
         ["EC.FA.2"]),
    ],
}
EDUCATOR_ASSESSORS = ["admin"]  # the admin assesses too; the coach is below
COACH = ("coach", "Jordan Ellis (coach)")
