"""Version 1 of the My Shared Life questionnaire: eleven easy-read questions, one picture each."""

from django.db import migrations

from outcomes.questionnaire import VERSION_1  # the data, not the models: safe in a migration


def add_version_1(apps, schema_editor):
    Questionnaire = apps.get_model("outcomes", "Questionnaire")
    Question = apps.get_model("outcomes", "Question")
    questionnaire, created = Questionnaire.objects.get_or_create(version=1)
    if created:
        Question.objects.bulk_create(
            Question(questionnaire=questionnaire, position=n, area=area, kind=kind, title=title, text=text,
                     picture=picture, picture_alt=alt)  # fmt: skip
            for n, (area, kind, title, text, picture, alt) in enumerate(VERSION_1, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_my_shared_life")]
    operations = [migrations.RunPython(add_version_1, migrations.RunPython.noop)]
