"""What the checker's own process decides with, fingerprinted, so that pack code run there cannot change it unseen."""

from __future__ import annotations

import _thread
import atexit
import contextlib
import dataclasses
import enum
import gc
import os
import signal
import sys
import threading
import types
from typing import Any, Iterator

__all__ = ["Fingerprint", "take", "without_exit_hooks"]

# The engine's module-level dicts, lists and sets that it fills itself as packs load and checks run (the claims'
# units, the outcomes its helpers made, what the installation is made of): the contents of every other one (its
# constants, the fork server it started, the context checks start from) are fingerprinted too.
_REGISTRIES = {"_UNITS", "_ISSUED", "_installation", "_ENGINE_STATE"}
# The engine's globals that it rebinds itself (the state of what reads were recorded, and of recorded queries).
_STATE = {"_digested", "_digested_roots", "_loaded", "_installed", "_recorded"}
# Standard modules whose globals change in ordinary use (caches, the interpreter's own state, the temporary folder).
# Of the others, only what is called (functions, classes) and imported (modules) is fingerprinted.
_VOLATILE = {"sys", "builtins", "warnings", "tempfile", "threading", "_thread", "gc", "importlib", "linecache",
             "locale", "random", "logging", "ctypes", "faulthandler", "sysconfig"}
# Signals whose handlers cannot be set.
_UNCATCHABLE = {signal.SIGKILL, signal.SIGSTOP}


@dataclasses.dataclass(frozen=True)
class _Binding:
    """One name something is bound to, and what was bound there."""

    # How reports name it: module.name, module.Class.name, function.__code__, CONSTANT[key].
    label: str
    # Where it is bound: a module, class, function or enum member (an attribute), a dict (an item), or a list or set
    # (its whole contents, `key` unused).
    owner: Any
    key: Any
    value: Any
    # Whether a change to it is the engine's (a load error) rather than a library's or builtins' (only undone).
    engine: bool

    def current(self) -> Any:
        if isinstance(self.owner, dict):
            return self.owner.get(self.key, _MISSING)
        if isinstance(self.owner, (list, set)):
            return tuple(self.owner)
        return _lookup(self.owner, self.key)

    def restore(self) -> None:
        try:
            if isinstance(self.owner, dict):
                self.owner[self.key] = self.value
            elif isinstance(self.owner, list):
                self.owner[:] = list(self.value)
            elif isinstance(self.owner, set):
                self.owner.clear()
                self.owner.update(self.value)
            elif isinstance(self.owner, type):
                type.__setattr__(self.owner, self.key, self.value)
            else:
                object.__setattr__(self.owner, self.key, self.value)
        except (AttributeError, TypeError, ValueError):
            pass


# What a name that is not bound at all is compared as.
_MISSING = object()


def _lookup(owner: Any, key: str) -> Any:
    try:
        return vars(owner)[key] if hasattr(owner, "__dict__") and key in vars(owner) else getattr(owner, key)
    except (AttributeError, TypeError):
        return _MISSING


@dataclasses.dataclass(frozen=True)
class Fingerprint:
    """Made by `take`: every binding the engine's decisions go through, by identity, and the interpreter's hooks."""

    # Names in the engine's modules, the standard modules they use and builtins, class attributes, functions' code
    # and defaults, and the engine's constants' contents.
    bindings: tuple[_Binding, ...]
    # The interpreter's hooks: (what it is, what it was, how to set it back).
    hooks: tuple[tuple[str, Any, Any], ...]
    # Threads started by the interpreter's thread module that are running.
    threads: int
    # The engine's modules that were imported, by name.
    modules: tuple[tuple[str, Any], ...]
    # The folders the engine's packages are imported from: a module of the engine imported later comes from one.
    homes: tuple[str, ...] = ()
    # How many exit hooks (atexit) were registered.
    exits: int = 0

    def restore(self) -> list[str]:
        """Set back everything that changed since this fingerprint was taken; return what was the engine's (its
        bindings and modules) and what cannot be set back (threads left running), one phrase each."""
        found = []
        for binding in self.bindings:
            now = binding.current()
            if now is binding.value or _same(now, binding.value):
                continue
            binding.restore()
            if binding.engine:
                found.append(f"{binding.label} was {'deleted' if now is _MISSING else 'replaced'}")
        for label, value, put_back in self.hooks:
            now = _hook_now(label)
            if now is not value and not _same(now, value):
                put_back(value)
        known = dict(self.modules)
        for name, module in self.modules:
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
                found.append(f"the module {name} was replaced")
        for name, module in list(sys.modules.items()):
            if name not in known and _is_engine(name, module) and not _from(module, self.homes):
                del sys.modules[name]
                found.append(f"the module {name} was put in place of the engine's")
        running = _thread._count() - self.threads
        if running > 0:
            found.append(f"{running} thread(s) were left running")
        hooks = atexit._ncallbacks() - self.exits
        if hooks > 0:
            found.append(f"{hooks} exit hook(s) were registered (atexit)")
        return found


def take() -> Fingerprint:
    """The fingerprint of this process now."""
    engine = {name: module for name, module in list(sys.modules.items()) if _is_engine(name, module)}
    bindings: list[_Binding] = []
    seen: set[int] = set()
    used = {}
    for name, module in engine.items():
        for key, value in list(vars(module).items()):
            if key.startswith("__") or key in _STATE:
                continue
            where = f"{name}.{key}"
            bindings.append(_Binding(where, module, key, value, True))
            if isinstance(value, types.ModuleType) and value.__name__.split(".")[0] in sys.stdlib_module_names \
                    and value.__name__.split(".")[0] not in _VOLATILE:
                used[value.__name__] = value
            if getattr(value, "__module__", None) == name:
                bindings.extend(_inside(where, value, seen))
            if key not in _REGISTRIES:
                bindings.extend(_contents(where, value))
    for name, module in used.items():
        bindings.extend(_Binding(f"{name}.{key}", module, key, value, False) for key, value in list(vars(module).items())
                        if not key.startswith("__") and (callable(value) or isinstance(value, types.ModuleType)))
    builtins = sys.modules["builtins"]
    bindings.extend(_Binding(f"builtins.{key}", builtins, key, value, False) for key, value in vars(builtins).items()
                    if not key.startswith("__") and key != "_")
    homes = {os.path.realpath(folder) for module in engine.values() for folder in getattr(module, "__path__", ())
             if isinstance(folder, str)}
    return Fingerprint(tuple(bindings), _hooks(), _thread._count(), tuple(engine.items()), tuple(sorted(homes)),
                       atexit._ncallbacks())


@contextlib.contextmanager
def without_exit_hooks() -> Iterator[None]:
    """While active, atexit.register registers nothing (and returns the function, as it does): what pack code, or a
    library it imports, would have run when the checker's process exits is never run there."""
    register = atexit.register

    def dropped(function, *args, **kwargs):
        return function

    atexit.register = dropped
    try:
        yield
    finally:
        atexit.register = register


def _is_engine(name: str, module: Any) -> bool:
    """The engine's modules: `proofs` and its submodules, except the course's claim pack (pack code itself)."""
    return isinstance(module, types.ModuleType) and (name == "proofs" or name.startswith("proofs.")) \
        and name != "proofs.claims" and not name.startswith("proofs.claims.")


def _from(module: Any, homes: tuple[str, ...]) -> bool:
    """Whether the module is a module object loaded from a file in one of the folders."""
    if not isinstance(module, types.ModuleType) or not isinstance(getattr(module, "__file__", None), str):
        return False
    folder = os.path.dirname(os.path.realpath(module.__file__))
    return folder in homes


def _inside(where: str, value: Any, seen: set[int]) -> Iterator[_Binding]:
    """A function's code and defaults; a class's attributes (and those of its methods), and its members' fields."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, types.FunctionType):
        for key in ("__code__", "__defaults__", "__kwdefaults__"):
            yield _Binding(f"{where}.{key}", value, key, getattr(value, key), True)
    elif isinstance(value, type):
        for key, attribute in list(vars(value).items()):
            if key in ("__dict__", "__weakref__", "__doc__", "_value2member_map_", "_member_map_", "_member_names_"):
                continue
            yield _Binding(f"{where}.{key}", value, key, attribute, True)
            for function in (getattr(attribute, "__func__", None), getattr(attribute, "fget", None), attribute):
                if isinstance(function, types.FunctionType):
                    yield from _inside(f"{where}.{key}", function, seen)
        if issubclass(value, enum.Enum):
            for member in value:
                yield from (_Binding(f"{where}.{member.name}.{key}", member, key, field, True)
                            for key, field in vars(member).items())


def _contents(where: str, value: Any) -> Iterator[_Binding]:
    if isinstance(value, dict):
        yield from (_Binding(f"{where}[{key!r}]", value, key, item, True) for key, item in list(value.items()))
    elif isinstance(value, (list, set)):
        yield _Binding(f"{where}[:]", value, None, tuple(value), True)


def _same(a: Any, b: Any) -> bool:
    """Hooks compared as sequences compare by the identity of their items (text by its value)."""
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b) and all(x is y or _same(x, y) for x, y in zip(a, b))


def _hooks() -> tuple[tuple[str, Any, Any], ...]:
    hooks = [(label, _hook_now(label), put_back) for label, put_back in _HOOKS.items()]
    if threading.current_thread() is threading.main_thread():
        for signum in sorted(signal.valid_signals() - _UNCATCHABLE):
            try:
                handler = signal.getsignal(signum)
            except (ValueError, OSError):
                continue
            if handler is not None:
                hooks.append((f"signal {int(signum)}", handler, lambda h, s=signum: signal.signal(s, h)))
    return tuple(hooks)


def _hook_now(label: str) -> Any:
    if label.startswith("signal "):
        try:
            return signal.getsignal(int(label.split()[1]))
        except (ValueError, OSError):
            return None
    return _READ[label]()


def _put_list(target: list, value: tuple) -> None:
    target[:] = list(value)


# The interpreter's hooks: how to read each, and how to set it back.
_READ = {
    "trace": sys.gettrace,
    "profile": sys.getprofile,
    "thread trace": lambda: getattr(threading, "_trace_hook", None),
    "thread profile": lambda: getattr(threading, "_profile_hook", None),
    "meta path": lambda: tuple(sys.meta_path),
    "path hooks": lambda: tuple(sys.path_hooks),
    "collector callbacks": lambda: tuple(gc.callbacks),
    "environment": lambda: tuple(sorted(os.environ.items())),
    "working directory": lambda: _cwd(),
}
_HOOKS = {
    "trace": sys.settrace,
    "profile": sys.setprofile,
    "thread trace": threading.settrace,
    "thread profile": threading.setprofile,
    "meta path": lambda value: _put_list(sys.meta_path, value),
    "path hooks": lambda value: _put_list(sys.path_hooks, value),
    "collector callbacks": lambda value: _put_list(gc.callbacks, value),
    "environment": lambda value: _put_environment(dict(value)),
    "working directory": lambda value: value is not None and os.chdir(value),
}


def _cwd():
    try:
        return os.getcwd()
    except OSError:
        return None


def _put_environment(value: dict) -> None:
    for name in [n for n in os.environ if n not in value]:
        del os.environ[name]
    for name, text in value.items():
        if os.environ.get(name) != text:
            os.environ[name] = text


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
