"""Shared by the web tests: a county folder of the example units with a bureau account and one
account per unit, and a logged-in test client (CSRF tokens read from the pages, as a browser would)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import DATA
from generator.web import create_app, init_admin

ADMIN, ADMIN_PASSWORD = "admin", "admin-secret-1"
UNIT_PASSWORD = "unit-secret-1"
UNITS = {"yiyang": "yiyang-2024-shebao.yaml", "lanshan": "lanshan-2024-shebao.yaml",
         "demo": "demo-2024-school.yaml", "yuanjiang": "yuanjiang-2024-shebao-jixiao.yaml"}
WORKBOOK = DATA / "yiyang-2024-决算报表.xlsx"


def make_county(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in UNITS.values():
        shutil.copyfile(DATA / name, folder / name)
    init_admin(folder, ADMIN, ADMIN_PASSWORD)
    return folder


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


def login(client, username: str, password: str):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token(page.text)})


def unit_ids(app) -> dict[str, int]:
    web = app.extensions["juesuan"]
    by_file = {u.relative: u.id for u in web.county.units()}
    return {key: by_file[name] for key, name in UNITS.items()}


def add_unit_accounts(app) -> dict[str, int]:
    """One account per unit, named after the unit's key, created by the bureau through the page."""
    ids = unit_ids(app)
    client = app.test_client()
    assert login(client, ADMIN, ADMIN_PASSWORD).status_code == 302
    for key, unit_id in ids.items():
        page = client.get("/accounts")
        answer = client.post("/accounts", data={"username": key, "password": UNIT_PASSWORD, "unit": str(unit_id),
                                                "csrf_token": token(page.text)})
        assert answer.status_code == 302, answer.text
    return ids


def app_for(folder: Path, **config):
    settings = {"BATCH_JOBS": 2}
    settings.update(config)
    return create_app(folder, workers=2, config=settings)
