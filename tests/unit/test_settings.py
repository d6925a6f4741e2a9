import pytest

from bot.platforms import Platform
from bot.settings import ConfigError, load_settings, parse_admin_ids

TOKEN = "123456:ABCdefGhIJKlmnOPQ_rstu-vwxyz"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("TELEGRAM_TOKEN", "BALE_TOKEN", "DATABASE_URL", "ADMIN_IDS", "TIMEZONE", "SEND_RATE"):
        monkeypatch.delenv(name, raising=False)


def test_needs_at_least_one_token() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_TOKEN or BALE_TOKEN"):
        load_settings()


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALE_TOKEN", TOKEN)
    settings = load_settings()
    assert settings.platforms == [Platform.BALE]
    assert settings.bale_api_url == "https://tapi.bale.ai/bot"
    assert settings.database_url.startswith("sqlite+aiosqlite:///./data/")
    assert settings.timezone == "Asia/Tehran"


def test_reads_dotenv_file(tmp_path) -> None:
    (tmp_path / ".env").write_text(f"TELEGRAM_TOKEN={TOKEN}\nADMIN_IDS=telegram:5,bale:7\n")
    settings = load_settings()
    assert settings.platforms == [Platform.TELEGRAM]
    assert settings.admins == {(Platform.TELEGRAM, 5), (Platform.BALE, 7)}


def test_bad_token_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_TOKEN", "not-a-token")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert "TELEGRAM_TOKEN" in str(error.value) and ".env.example" in str(error.value)


def test_blank_token_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_TOKEN", "  ")
    monkeypatch.setenv("BALE_TOKEN", TOKEN)
    assert load_settings().platforms == [Platform.BALE]


@pytest.mark.parametrize("raw", ["telegram", "viber:1", "bale:x"])
def test_bad_admin_ids(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("BALE_TOKEN", TOKEN)
    monkeypatch.setenv("ADMIN_IDS", raw)
    with pytest.raises(ConfigError, match="ADMIN_IDS"):
        load_settings()


def test_bad_timezone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALE_TOKEN", TOKEN)
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigError, match="TIMEZONE"):
        load_settings()


def test_parse_admin_ids_tolerates_spaces() -> None:
    assert parse_admin_ids(" telegram:1 , BALE:2 ,") == {(Platform.TELEGRAM, 1), (Platform.BALE, 2)}


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u:p@db:5432/k", "postgresql+asyncpg://u:p@db:5432/k"),
        ("postgres://u@db/k", "postgresql+asyncpg://u@db/k"),
        ("sqlite:///./data/x.db", "sqlite+aiosqlite:///./data/x.db"),
        ("postgresql+asyncpg://u@db/k", "postgresql+asyncpg://u@db/k"),
    ],
)
def test_database_url_plain_forms_get_the_async_driver(monkeypatch: pytest.MonkeyPatch, given: str, used: str) -> None:
    monkeypatch.setenv("BALE_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", given)
    assert load_settings().database_url == used


@pytest.mark.parametrize("given", ["nonsense", "mysql://x/y", "postgresql+psycopg2://u@db/k"])
def test_unusable_database_url_names_the_variable(monkeypatch: pytest.MonkeyPatch, given: str) -> None:
    monkeypatch.setenv("BALE_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", given)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_settings()


def test_commands_that_call_no_api_need_no_token() -> None:
    assert load_settings(need_token=False).platforms == []


def test_missing_token_names_the_file_it_read(tmp_path) -> None:
    with pytest.raises(ConfigError, match=str(tmp_path / "elsewhere.env")):
        load_settings(tmp_path / "elsewhere.env")
