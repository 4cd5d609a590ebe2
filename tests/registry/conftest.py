"""Registry fixtures shared by the export tests."""

import pytest

from tests.registry import factories


@pytest.fixture
def aim():
    """AIM with its address, e-mail and DPO, as the exports identify the controller."""
    aim = factories.AimFactory(
        address_fr="Avenue du Boulevard 21, 1210 Bruxelles",
        address_nl="Bolwerklaan 21, 1210 Brussel",
        email="info@intermut.be",
    )
    factories.DataProtectionOfficerFactory(
        organisation=aim,
        phone="+32 2 000 00 00",
        postal_address_fr="DPO, Avenue du Boulevard 21, 1210 Bruxelles",
        postal_address_nl="DPO, Bolwerklaan 21, 1210 Brussel",
    )
    return aim
