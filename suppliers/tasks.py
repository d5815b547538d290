from celery import shared_task

from .services import accounts


@shared_task(name="suppliers.tasks.send_password_reset")
def send_password_reset(user_ids: list[int], language: str) -> int:
    """Write the password reset messages of these accounts to the outbox (the outbox sends them)."""
    return accounts.password_reset_notify(user_ids=user_ids, language=language)
