"""The My Shared Life questionnaire's first version, as data: (area, kind, title, easy-read text, picture, picture's
text alternative). Later versions are published with `outcomes.services.questionnaire_publish`; this one is created
by migration 0002, or on first use if a database was emptied (a test flush)."""

VERSION_1 = [
    ("social_life", "difference", "My social life", "Going out and seeing people. Has your carer made this better?",
     "social_life.svg", "Two people laughing together at a café table"),
    ("friends", "difference", "Friends", "Is it easier to have friends now? Has your carer made this better?",
     "friends.svg", "Two friends side by side, waving"),
    ("community", "difference", "My community", "Do you feel part of where you live? Has this got better?",
     "community.svg", "A street with a shop, a tree and a bench"),
    ("community_help", "helped", "Help to join in", "Has your carer helped you join in where you live?",
     "community_help.svg", "A carer and a person walking together, holding hands"),
    ("physical_health", "difference", "My body", "How your body feels. Has your carer made this better?",
     "physical_health.svg", "A person walking with a heart above them"),
    ("emotional_health", "difference", "My feelings", "How you feel inside. Has your carer made this better?",
     "emotional_health.svg", "A smiling face inside a heart"),
    ("safe", "difference", "Feeling safe", "Do you feel safe? Has your carer made this better?",
     "safe.svg", "A house with a shield on the front"),
    ("choice", "difference", "My choices", "Choosing what you do each day. Has this got better?",
     "choice.svg", "A hand pointing to one of three doors"),
    ("enjoy", "difference", "Things I enjoy", "Work, learning or hobbies. Has your carer made this better?",
     "enjoy.svg", "A paintbrush, a book and a football"),
    ("family", "family", "Part of the family", "Do you feel part of the family where you live or stay?",
     "family.svg", "Three people at a table sharing a meal"),
    ("better", "open", "Even better", "What would make your life even better? You can write or say it.",
     "better.svg", "A star with a speech bubble"),
]  # fmt: skip
