"""Background jobs (django-tasks, database backend). Jobs only call services."""

from django_tasks import task

from endospine.fhir import bulk


@task()
def run_export(job_id: str) -> None:
    """Write a Bulk Data export's files (see endospine/fhir/bulk.py)."""
    bulk.export_run(job_id)
