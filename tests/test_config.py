import pytest

from storyline.config import load_settings
from storyline.errors import ConfigError


def test_precedence_file_env_override(tmp_path):
    cfg = tmp_path / "s.toml"
    cfg.write_text("[storyline]\nbatch_size = 8\nevent_day_window = 3\n")
    s = load_settings(cfg, env={"STORYLINE_BATCH_SIZE": "16"}, event_day_window=5)
    assert s.batch_size == 16 and s.event_day_window == 5


def test_unknown_and_invalid_settings_are_config_errors(tmp_path):
    with pytest.raises(ConfigError) as e:
        load_settings(env={}, nonsense=1)
    assert e.value.code == "E400"
    with pytest.raises(ConfigError):
        load_settings(env={"STORYLINE_BATCH_SIZE": "many"})
    with pytest.raises(ConfigError):
        load_settings(env={}, batch_size=0)
    bad = tmp_path / "bad.toml"
    bad.write_text("[storyline\n")
    with pytest.raises(ConfigError):
        load_settings(bad, env={})
