"""The TF1 environment: legacy ``import tensorflow as tf`` code runs as it is.

``install()`` replaces ``builtins.__import__`` with a hook that looks at who
imports TensorFlow. User code (``__main__``: a script, a notebook's cells, and
modules that live under the user's own directories) gets a TF1 facade:
``tf.compat.v1`` with ``tf.contrib.rnn``, ``tf.nn.rnn_cell`` and
``tf.nn.dynamic_rnn`` served by ``compat.rnn``. Every other module (Keras,
TensorFlow's internals, any installed library) gets the real ``tensorflow``;
``sys.modules["tensorflow"]`` is never replaced.

Some TF1 behaviour is process-wide, as it was in TF1 itself, and is switched
on by ``install()``: graph mode (eager execution off) and TF1's ``TensorShape``
(dimensions print as ``?`` and have ``.value``). Keras 3 cannot build or fit
models in graph mode, so code that mixes Keras 3 with the TF1 environment
fails there; ``tf1compat run`` says so when it happens.
"""

from __future__ import annotations

import builtins
import functools
import logging
import os
import sys
import sysconfig
import threading
import types
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from compat import seed as _seed
from compat.errors import CompatError
from compat.provided import SHIMS

__all__ = [
    "TF1FeatureUnavailableError",
    "facade",
    "install",
    "is_installed",
    "is_user_module",
    "run_script",
    "uninstall",
]

_logger = logging.getLogger(__name__)


class TF1FeatureUnavailableError(CompatError, AttributeError):
    """A TF1 name the TF1 environment does not provide, with what to use instead.

    An ``AttributeError``, so ``hasattr`` and ``getattr(..., default)`` behave
    as for any missing attribute.
    """


# What to use instead of the tf.contrib modules the environment does not serve.
_CONTRIB_INSTEAD: dict[str, str] = {
    "slim": "the tf-slim package (pip install tf-slim)",
    "framework": "tf.compat.v1 (e.g. tf.compat.v1.train.get_or_create_global_step)",
    "distributions": "TensorFlow Probability (tfp.distributions)",
    "crf": "TensorFlow Addons' text.crf (end of life)",
    "cudnn_rnn": "compat.rnn.LSTMCell (same math) or tf.keras.layers.LSTM",
    "data": "tf.data",
    "metrics": "tf.compat.v1.metrics",
    "training": "tf.compat.v1.train",
    "opt": "tf.compat.v1.train optimizers",
    "keras": "tf.keras",
    "eager": "tf.compat.v1 with eager execution (TF2's default)",
}


class _Namespace(types.ModuleType):
    """A module that serves its own names first, then those of ``bases``.

    ``missing`` decides what a name found nowhere raises: by default the
    ``AttributeError`` of a plain module.
    """

    def __init__(
        self,
        name: str,
        own: dict[str, Any],
        bases: Sequence[Any] = (),
        missing: Callable[[str], Exception] | None = None,
        doc: str | None = None,
    ) -> None:
        super().__init__(name, doc)
        self.__dict__.update(own)
        self._tf1_bases = tuple(bases)
        self._tf1_missing = missing

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") or attr.startswith("_tf1_"):
            raise AttributeError(attr)
        for base in self._tf1_bases:
            try:
                return getattr(base, attr)
            except AttributeError:
                continue
        if self._tf1_missing is not None:
            raise self._tf1_missing(attr)
        raise AttributeError(f"module {self.__name__!r} has no attribute {attr!r}")

    def __dir__(self) -> list[str]:
        names = set(self.__dict__)
        for base in self._tf1_bases:
            names.update(dir(base))
        return sorted(n for n in names if not n.startswith("_tf1_"))


def _unavailable(path: str, instead: str | None = None) -> Callable[[str], Exception]:
    def make(attr: str) -> Exception:
        hint = instead or (_CONTRIB_INSTEAD.get(attr) if path == "tf.contrib" else None)
        message = f"{path}.{attr} is not provided by the tf1-compat TF1 environment"
        if hint:
            message += f"; use {hint} instead"
        else:
            message += (
                "; see `tf1compat limits` for what is missing and rewrite this call "
                "with tf.compat.v1 or tf.keras"
            )
        return TF1FeatureUnavailableError(message)

    return make


def _shim_namespace(path: tuple[str, ...], bases: Sequence[Any] = ()) -> _Namespace:
    """TF1's ``tf.<path>`` as served from ``compat.provided.SHIMS[path]``."""
    import importlib

    shim = SHIMS[path]
    module = importlib.import_module(shim.module)
    renames = dict(shim.renames)
    own = {name: getattr(module, renames.get(name, name)) for name in shim.names}
    dotted = "tf." + ".".join(path)
    return _Namespace(
        "tensorflow." + ".".join(path),
        own,
        bases=bases,
        missing=None if bases else _unavailable(dotted),
        doc=f"TF1's {dotted}, served by {shim.module}.",
    )


def _build_facade() -> types.ModuleType:
    import tensorflow as real_tf

    v1 = real_tf.compat.v1

    contrib_members = {
        path[1]: _shim_namespace(path)
        for path in SHIMS
        if len(path) == 2 and path[0] == "contrib"
    }
    contrib = _Namespace(
        "tensorflow.contrib",
        contrib_members,
        missing=_unavailable("tf.contrib"),
        doc="TF1's tf.contrib: only the members tf1-compat provides.",
    )
    nn = _shim_namespace(("nn",), bases=(v1.nn,))
    nn.__dict__["rnn_cell"] = _shim_namespace(("nn", "rnn_cell"))

    def reset_default_graph() -> None:
        """TF1's reset_default_graph; the new graph keeps the session's seed."""
        v1.reset_default_graph()
        if _state.seed is not None:
            v1.set_random_seed(_state.seed)

    top = _Namespace(
        "tensorflow",
        {
            "contrib": contrib,
            "nn": nn,
            # tf.compat.v1.layers needs Keras 2; these are compat.layers'.
            "layers": _shim_namespace(("layers",)),
            "reset_default_graph": reset_default_graph,
            "__version__": real_tf.__version__,
            "__file__": getattr(real_tf, "__file__", None),
            "__path__": getattr(real_tf, "__path__", []),
        },
        bases=(v1, real_tf),
        doc="TensorFlow as TF1 code saw it: tf.compat.v1 plus what tf1-compat serves.",
    )
    compat_ns = _Namespace(
        "tensorflow.compat", {"v1": top, "v2": real_tf}, bases=(real_tf.compat,)
    )
    top.__dict__["compat"] = compat_ns
    return top


class _State:
    """What ``install`` changed, so ``uninstall`` can put it back."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.original_import: Callable[..., Any] | None = None
        self.facade: types.ModuleType | None = None
        self.user_roots: list[Path] = []
        self.seed: int | None = None


_state = _State()


@functools.cache
def _library_roots() -> tuple[Path, ...]:
    # Computed once: every `import tensorflow...` made by a module with a file
    # (libraries included) asks whether that module is user code.
    roots = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix)}
    for key in ("purelib", "platlib", "stdlib", "platstdlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(Path(path))
    return tuple(r.resolve() for r in roots)


def is_user_module(module_globals: dict[str, Any] | None) -> bool:
    """Return True if the module with these globals should see TF1.

    User code is ``__main__`` (a script, a notebook's cells) and any module
    whose file lies under a user root given to ``install`` but not inside the
    Python installation or a virtual environment.
    """
    if not module_globals:
        return False
    if module_globals.get("__name__") == "__main__":
        return True
    file = module_globals.get("__file__")
    if not file or not _state.user_roots:
        return False
    path = Path(file).resolve()
    if any(path.is_relative_to(lib) for lib in _library_roots()):
        return False
    return any(path.is_relative_to(root) for root in _state.user_roots)


def _resolve_from_facade(name: str) -> Any:
    """The facade object at a dotted ``tensorflow....`` path, or None."""
    assert _state.facade is not None
    target: Any = _state.facade
    for part in name.split(".")[1:]:
        try:
            target = getattr(target, part)
        except TF1FeatureUnavailableError as error:
            raise ModuleNotFoundError(str(error), name=name) from None
        except AttributeError:
            return None
    return target


def _tf1_import(
    name: str,
    globals: dict[str, Any] | None = None,
    locals: dict[str, Any] | None = None,
    fromlist: Sequence[str] | None = (),
    level: int = 0,
) -> Any:
    original = _state.original_import
    assert original is not None
    if (
        level != 0
        or not (name == "tensorflow" or name.startswith("tensorflow."))
        or not is_user_module(globals)
    ):
        return original(name, globals, locals, fromlist, level)

    served = _resolve_from_facade(name)
    if served is None:
        # A real TensorFlow submodule (tensorflow.python..., tensorflow.keras):
        # import it for real; attribute lookups still go through the facade.
        module = original(name, globals, locals, fromlist, level)
        return module if fromlist else _state.facade
    return served if fromlist else _state.facade


def install(
    *, seed: int | None = None, user_roots: Iterable[str | os.PathLike[str]] = ()
) -> types.ModuleType:
    """Switch this process into the TF1 environment.

    Args:
        seed: If given, seeds the shim's initial weights (``compat.set_seed``),
            Python's and NumPy's random generators and TF's graph-level seed.
        user_roots: Directories whose modules count as user code besides
            ``__main__`` (typically the script's or notebook's directory).

    Returns:
        The TF1 facade module that user code gets for ``import tensorflow``.
    """
    with _state.lock:
        import tensorflow as real_tf

        v1 = real_tf.compat.v1
        v1.disable_eager_execution()
        v1.disable_v2_tensorshape()

        _state.user_roots = [Path(r).resolve() for r in user_roots]
        if _state.facade is None:
            _state.facade = _build_facade()
        if _state.original_import is None:
            _state.original_import = builtins.__import__
            builtins.__import__ = _tf1_import  # type: ignore[assignment]

        _state.seed = seed
        if seed is not None:
            _seed.apply_seed(seed)
        _logger.info("TF1 environment installed (seed %s)", seed)
        return _state.facade


def uninstall() -> None:
    """Leave the TF1 environment: imports see the real module again.

    Graph mode and TF1's TensorShape stay on: TensorFlow cannot return to eager
    mode once graphs have been built in this process.
    """
    with _state.lock:
        if _state.original_import is not None:
            builtins.__import__ = _state.original_import
            _state.original_import = None
        _state.user_roots = []
        _state.seed = None


def is_installed() -> bool:
    """Return True while the import hook is in place."""
    return _state.original_import is not None


def facade() -> types.ModuleType:
    """Return the TF1 facade module (building it, without installing the hook)."""
    with _state.lock:
        if _state.facade is None:
            _state.facade = _build_facade()
        return _state.facade


def run_script(
    path: str | os.PathLike[str],
    argv: Sequence[str] = (),
    *,
    seed: int | None = None,
    report: Callable[[str], None] | None = None,
) -> None:
    """Run a legacy script in the TF1 environment, as ``python SCRIPT args``.

    ``sys.argv`` is ``[path, *argv]``, ``__name__`` is ``"__main__"`` and the
    script's directory comes first on ``sys.path`` and counts as user code.
    Python 2 forms (print statements, ``xrange``, ``raw_input``,
    ``dict.iteritems()``) are translated in memory; the file is not touched,
    and ``report`` is told what was translated.

    Raises:
        FileNotFoundError: If ``path`` does not exist.
        SyntaxError: If the script is not Python 3 even after that translation.
    """
    from compat.convert.py2 import translate_python2

    script = Path(path)
    if not script.is_file():
        raise FileNotFoundError(f"{script}: no such script")
    translation = translate_python2(script.read_text(encoding="utf-8"), str(script))
    note = translation.describe()
    if note and report is not None:
        report(f"translated Python 2 in memory ({script} is unchanged): {note}")
    try:
        code = compile(translation.source, str(script), "exec")
    except SyntaxError as error:
        raise SyntaxError(
            f"{script}, line {error.lineno}: not valid Python 3 ({error.msg}), and "
            "not a Python 2 form the runner translates safely; convert it with "
            "`tf1compat convert` and fix the reported lines by hand"
        ) from None

    directory = str(script.resolve().parent)
    install(seed=seed, user_roots=[directory])
    main = types.ModuleType("__main__")
    main.__dict__.update({"__file__": str(script), "__builtins__": builtins})
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    saved_main = sys.modules.get("__main__")
    sys.argv = [str(script), *argv]
    sys.path.insert(0, directory)
    sys.modules["__main__"] = main
    try:
        exec(code, main.__dict__)
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
