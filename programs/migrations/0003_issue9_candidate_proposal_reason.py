"""Issue 9: each candidate's reason from the last optimizer run moves from ``Cohort.proposal["reasons"]``
(one JSON object per cohort: 7 MB at 47,000 eligible candidates, read and parsed whenever a cohort was
loaded) to ``Candidate.proposal_reason``. Reversible: going back puts the reasons into the proposal."""
from django.db import migrations, models

def to_candidates(apps, schema_editor):
    Cohort = apps.get_model("programs", "Cohort")
    Candidate = apps.get_model("programs", "Candidate")
    cohort, candidate = (schema_editor.quote_name(m._meta.db_table) for m in (Cohort, Candidate))
    # Each cohort's reasons expanded once (jsonb_each), not looked up in the whole object per candidate.
    schema_editor.execute(f"""
        UPDATE {candidate} c SET proposal_reason = r.value
        FROM {cohort} co CROSS JOIN LATERAL jsonb_each(co.proposal -> 'reasons') r
        WHERE jsonb_typeof(co.proposal -> 'reasons') = 'object'
          AND c.cohort_id = co.id AND c.id = r.key::bigint""", params=None)
    schema_editor.execute(f"UPDATE {cohort} SET proposal = proposal - 'reasons' "
                          f"WHERE jsonb_exists(proposal, 'reasons')", params=None)


def to_proposal(apps, schema_editor):
    Cohort = apps.get_model("programs", "Cohort")
    Candidate = apps.get_model("programs", "Candidate")
    for cohort in Cohort.objects.all():
        if not cohort.proposal:
            continue
        cohort.proposal["reasons"] = {
            str(pk): reason for pk, reason in
            Candidate.objects.filter(cohort=cohort).exclude(proposal_reason={}).values_list("pk", "proposal_reason")
        }
        cohort.save(update_fields=["proposal"])


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="proposal_reason",
            field=models.JSONField(
                blank=True, default=dict,
                help_text="Why the last optimizer run put this candidate in the proposal or left it out.",
                verbose_name="optimizer's reason",
            ),
        ),
        migrations.RunPython(to_candidates, to_proposal),
    ]
