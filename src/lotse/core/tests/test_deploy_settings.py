"""Production defaults: without LOTSE_DEV the deployment checklist passes without warnings."""

import os
import subprocess
import sys


def test_check_deploy_has_no_warnings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOTSE_", "DJANGO_", "DEBUG"))}
    env.update({"SECRET_KEY": "x" * 20 + "prod-like-secret-key-with-enough-entropy-123456",
                "ALLOWED_HOSTS": "lotse.example.org", "LOTSE_VAR_DIR": str(tmp_path),
                "DJANGO_SETTINGS_MODULE": "lotse.config.settings",
                # a virus scanner, log shipping and a breached-password list configured (their
                # absence is a warning)
                "LOTSE_CLAMD_SOCKET": str(tmp_path / "clamd.ctl"),
                "LOTSE_SYSLOG_ADDRESS": str(tmp_path / "dev-log"),
                "LOTSE_BREACHED_PASSWORDS": str(tmp_path / "pwned-passwords-sha1.txt")})
    (tmp_path / "pwned-passwords-sha1.txt").write_text("0000000CAEF405439D57847A8657218C618160B2:1\n"
                                                       "FFFFFFF8A0382AA9C8D9536EFBA77F261815334D:1\n")
    result = subprocess.run([sys.executable, "-m", "lotse.manage", "check", "--deploy",
                             "--fail-level", "WARNING"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOTSE_", "DJANGO_", "SECRET"))}
    env.update({"LOTSE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "lotse.config.settings"})
    result = subprocess.run([sys.executable, "-m", "lotse.manage", "check"], env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def _setting(env_extra: dict, tmp_path, name: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOTSE_", "DJANGO_", "EMAIL_"))}
    env.update({"LOTSE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "lotse.config.settings",
                **env_extra})
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_mail_goes_to_files_in_dev_and_to_smtp_from_the_environment_in_production(tmp_path):
    assert _setting({"LOTSE_DEV": "1"}, tmp_path, "EMAIL_BACKEND").endswith("filebased.EmailBackend")
    prod = {"SECRET_KEY": "k" * 50, "EMAIL_HOST": "mail.kreis.example", "EMAIL_PORT": "587"}
    assert _setting(prod, tmp_path, "EMAIL_BACKEND").endswith("smtp.EmailBackend")
    assert _setting(prod, tmp_path, "EMAIL_HOST") == "mail.kreis.example"
    assert _setting(prod, tmp_path, "EMAIL_PORT") == "587"
