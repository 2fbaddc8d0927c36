"""How a study is given: a config file, TOML text or a dict (the same schema as a file)."""
import os
import tomllib


def config_source(config, objective=None):
    """(source, kind) for the C++ loader: kind is "path", "text" or "dict".

    A str is TOML text when it contains a newline or '=', else a file name; a path-like object
    is always a file name. A study around a Python objective is handed over as a dict (read with
    tomllib when given as a file or text) so that its [problem] table can be checked.
    """
    if isinstance(config, dict):
        return config, "dict"
    if isinstance(config, os.PathLike):
        kind, value = "path", os.fspath(config)
    elif isinstance(config, str):
        kind = "text" if ("\n" in config or "=" in config) else "path"
        value = config
    else:
        raise TypeError(f"config must be a TOML file name, TOML text or a dict, not {type(config).__name__}")
    if objective is None or not objective.is_callable:
        return value, kind
    if kind == "path":
        with open(value, "rb") as f:
            return tomllib.load(f), "dict"
    return tomllib.loads(value), "dict"
