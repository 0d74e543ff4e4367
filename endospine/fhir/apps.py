from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "endospine.fhir"
    label = "fhir"
    verbose_name = "FHIR R4 API"

    def ready(self) -> None:
        from django.core.checks import register

        from endospine.fhir.checks import check_codes

        register(check_codes, "content")
