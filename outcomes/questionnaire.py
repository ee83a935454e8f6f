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

# The same questions in Welsh, easy read (area: title, text, picture's text alternative). Drafted by the developers;
# to be checked by a Welsh-language easy-read translator with people who use Shared Lives in Wales.
WELSH_1 = {
    "social_life": ("Fy mywyd cymdeithasol", "Mynd allan a gweld pobl. Ydy eich gofalwr wedi gwneud hyn yn well?",
                    "Dau berson yn chwerthin gyda'i gilydd wrth fwrdd caffi"),
    "friends": ("Ffrindiau", "Ydy hi'n haws cael ffrindiau nawr? Ydy eich gofalwr wedi gwneud hyn yn well?",
                "Dau ffrind ochr yn ochr, yn codi llaw"),
    "community": ("Fy nghymuned", "Ydych chi'n teimlo'n rhan o'r lle rydych chi'n byw? Ydy hyn wedi gwella?",
                  "Stryd gyda siop, coeden a mainc"),
    "community_help": ("Help i fod yn rhan o bethau",
                       "Ydy eich gofalwr wedi eich helpu i fod yn rhan o bethau lle rydych chi'n byw?",
                       "Gofalwr a pherson yn cerdded gyda'i gilydd, yn dal dwylo"),
    "physical_health": ("Fy nghorff", "Sut mae eich corff yn teimlo. Ydy eich gofalwr wedi gwneud hyn yn well?",
                        "Person yn cerdded gyda chalon uwch ei ben"),
    "emotional_health": ("Fy nheimladau",
                         "Sut rydych chi'n teimlo y tu mewn. Ydy eich gofalwr wedi gwneud hyn yn well?",
                         "Wyneb yn gwenu y tu mewn i galon"),
    "safe": ("Teimlo'n ddiogel", "Ydych chi'n teimlo'n ddiogel? Ydy eich gofalwr wedi gwneud hyn yn well?",
             "Tŷ gyda tharian ar y blaen"),
    "choice": ("Fy newisiadau", "Dewis beth rydych chi'n ei wneud bob dydd. Ydy hyn wedi gwella?",
               "Llaw yn pwyntio at un o dri drws"),
    "enjoy": ("Pethau rwy'n eu mwynhau", "Gwaith, dysgu neu hobïau. Ydy eich gofalwr wedi gwneud hyn yn well?",
              "Brwsh paent, llyfr a phêl-droed"),
    "family": ("Rhan o'r teulu", "Ydych chi'n teimlo'n rhan o'r teulu lle rydych chi'n byw neu'n aros?",
               "Tri pherson wrth fwrdd yn rhannu pryd o fwyd"),
    "better": ("Hyd yn oed yn well",
               "Beth fyddai'n gwneud eich bywyd hyd yn oed yn well? Gallwch ei ysgrifennu neu ei ddweud.",
               "Seren gyda swigen siarad"),
}  # fmt: skip


def welsh_fields(area: str) -> dict:
    title, text, alt = WELSH_1.get(area, ("", "", ""))
    return {"title_cy": title, "text_cy": text, "picture_alt_cy": alt}
