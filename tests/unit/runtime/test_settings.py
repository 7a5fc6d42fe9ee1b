import pytest

from deskbridge.runtime.settings import ConfigError, Secret, load_settings


def test_defaults():
    settings = load_settings({})
    assert settings.grpc_address == "127.0.0.1:50051"
    assert settings.nats_url is None
    assert settings.backends == ()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("GRPC_ADDRESS", "nope"),
        ("LOG_LEVEL", "loud"),
        ("NATS_URL", "http://x"),
        ("STREAM_REPLICAS", "9"),
        ("SHUTDOWN_GRACE_SECONDS", "soon"),
    ],
)
def test_invalid_settings_fail_fast_naming_the_setting(key, value):
    with pytest.raises(ConfigError, match=f"DESKBRIDGE_{key}"):
        load_settings({f"DESKBRIDGE_{key}": value})


def test_backends_file_resolves_credentials_from_env_and_files(tmp_path):
    secret_file = tmp_path / "password"
    secret_file.write_text("s3cret\n")
    config = tmp_path / "deskbridge.toml"
    config.write_text(
        f"""
[[backends]]
name = "invgate"
vendor = "invgate"
base_url = "http://127.0.0.1:8081/"
[backends.credentials]
username_env = "INVGATE_USER"
password_file = "{secret_file}"
"""
    )
    settings = load_settings({"DESKBRIDGE_CONFIG": str(config), "INVGATE_USER": "api"})
    (backend,) = settings.backends
    assert backend.base_url == "http://127.0.0.1:8081"
    assert backend.credentials["password"].reveal() == "s3cret"
    assert "s3cret" not in repr(backend) and "s3cret" not in str(backend.credentials["password"])
    assert isinstance(backend.credentials["username"], Secret)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('name = "Bad Name"\nvendor = "invgate"\nbase_url = "http://x"', r"backends\[0\].name"),
        ('name = "a"\nvendor = "zendesk"\nbase_url = "http://x"', r"backends\[0\].vendor"),
        ('name = "a"\nvendor = "invgate"\nbase_url = "ftp://x"', r"backends\[0\].base_url"),
        (
            'name = "a"\nvendor = "invgate"\nbase_url = "http://x"\n[backends.credentials]\n'
            'password_env = "MISSING_VAR"',
            "MISSING_VAR",
        ),
    ],
)
def test_invalid_backend_config_names_the_setting(tmp_path, table, message):
    config = tmp_path / "c.toml"
    config.write_text(f"[[backends]]\n{table}\n")
    with pytest.raises(ConfigError, match=message):
        load_settings({"DESKBRIDGE_CONFIG": str(config)})


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="DESKBRIDGE_CONFIG"):
        load_settings({"DESKBRIDGE_CONFIG": str(tmp_path / "absent.toml")})
