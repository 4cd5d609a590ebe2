from registry.models.activities import ProcessingActivity, Transfer
from registry.models.organisations import (
    EEA_COUNTRIES,
    ChannelSource,
    DataProtectionOfficer,
    Organisation,
    format_enterprise_number,
)
from registry.models.vocabulary import (
    DataCategory,
    DataSubjectCategory,
    LegalBasis,
    Recipient,
    RetentionRule,
)

__all__ = [
    "EEA_COUNTRIES",
    "ChannelSource",
    "DataCategory",
    "DataProtectionOfficer",
    "DataSubjectCategory",
    "LegalBasis",
    "Organisation",
    "ProcessingActivity",
    "Recipient",
    "RetentionRule",
    "Transfer",
    "format_enterprise_number",
]
