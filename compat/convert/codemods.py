"""LibCST rewrites, one per TF1 idiom, for the ``compat`` target.

Each command rewrites only the nodes of its idiom, so comments, formatting and
all other code stay byte-identical, and collects warnings (as data) for what
it cannot convert. Names are resolved through the TensorFlow imports of the
whole notebook or script (``Aliases``), since a notebook imports TensorFlow in
one cell and uses it in others.

The commands, in the order they run:

``RewriteTensorflowImportsCommand``
    ``from tensorflow.contrib import rnn`` and the other import forms of the
    RNN API to ``compat.rnn``; ``from tensorflow import X`` to
    ``from tensorflow.compat.v1 import X`` where TF2 changed ``X``.
``ReplaceRnnSymbolsCommand``
    ``tf.contrib.rnn.X``, ``tf.nn.rnn_cell.X`` and ``tf.nn.dynamic_rnn`` to
    ``compat.rnn.X``.
``MoveToCompatV1Command``
    every other TF1 name that TF2 removed or changed to ``tf.compat.v1.X``.
    (The converter runs these two as ``RewriteDottedNamesCommand``, one
    traversal.)
``ReplacePython2IdiomsCommand``
    ``xrange``, ``raw_input``, ``dict.iteritems()`` and friends to Python 3
    (print statements are fixed before parsing, by ``compat.convert.py2``).
``InsertGraphModeCommand``
    ``tf.compat.v1.disable_eager_execution()`` right after the TensorFlow
    import, then ``import compat.rnn`` (or ``compat.layers``) when the code
    uses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from compat.convert.tf1_api import NEEDS_COMPAT_V1, SAME_IN_TF2
from compat.provided import SHIMS

__all__ = [
    "SHIM_NAMES",
    "Aliases",
    "InsertGraphModeCommand",
    "MoveToCompatV1Command",
    "ReplacePython2IdiomsCommand",
    "ReplaceRnnSymbolsCommand",
    "RewriteDottedNamesCommand",
    "RewriteTensorflowImportsCommand",
    "Warn",
    "classify",
    "collect_aliases",
    "run_command",
]

# What compat.rnn provides, by TF1 name.
SHIM_NAMES = frozenset().union(*(shim.names for shim in SHIMS.values()))
SHIM_MODULES = frozenset(shim.module for shim in SHIMS.values())
_RNN_MODULES = (("contrib", "rnn"), ("nn", "rnn_cell"))

# Hints for TF1 names with no conversion.
_CONTRIB_HINTS = {
    "slim": "use the tf-slim package",
    "cudnn_rnn": "use compat.rnn.LSTMCell (same math)",
}

Warn = tuple[int | None, str]
"""A warning: (1-based line or None, message)."""


@dataclass
class Aliases:
    """Local names bound to TensorFlow modules or objects, e.g. ``tf``."""

    names: dict[str, str] = field(default_factory=dict)
    """Local name -> qualified name (``"tensorflow"``, ``"tensorflow.nn"``, ...)."""

    def resolve(self, parts: Sequence[str]) -> list[str] | None:
        """The qualified path of a dotted name, if its root is a TF alias."""
        if not parts or parts[0] not in self.names:
            return None
        return self.names[parts[0]].split(".") + list(parts[1:])

    def tensorflow_roots(self) -> list[str]:
        """Names bound to the ``tensorflow`` package itself."""
        return [name for name, target in self.names.items() if target == "tensorflow"]


def dotted(node: cst.BaseExpression) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``, or None if not a plain dotted name."""
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, cst.Attribute):
        head = dotted(node.value)
        return None if head is None else [*head, node.attr.value]
    return None


def _module_name(node: cst.BaseExpression | None) -> str:
    parts = dotted(node) if node is not None else None
    return ".".join(parts) if parts else ""


class _AliasCollector(cst.CSTVisitor):
    def __init__(self, aliases: Aliases) -> None:
        self.aliases = aliases

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = _module_name(alias.name)
            if module != "tensorflow" and not module.startswith("tensorflow."):
                continue
            if alias.asname is not None:
                self.aliases.names[alias.asname.name.value] = module  # type: ignore[union-attr]
            else:
                self.aliases.names["tensorflow"] = "tensorflow"

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = _module_name(node.module)
        if node.relative or not (
            module == "tensorflow" or module.startswith("tensorflow.")
        ):
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = _module_name(alias.name)
            local = alias.asname.name.value if alias.asname else name  # type: ignore[union-attr]
            self.aliases.names[local] = f"{module}.{name}"


def collect_aliases(modules: Sequence[tuple[cst.Module, str]]) -> Aliases:
    """Collect the TensorFlow aliases bound anywhere in ``(module, its code)``s."""
    aliases = Aliases()
    for module, code in modules:
        if "tensorflow" in code:
            module.visit(_AliasCollector(aliases))
    return aliases


@dataclass(frozen=True)
class Plan:
    """What to do with one TF name.

    ``keep``; ``shim`` (to ``shim_module.shim_path``); ``compat_v1`` (to
    ``tf.compat.v1``); or ``warn``.
    """

    action: str
    shim_path: tuple[str, ...] = ()
    message: str | None = None
    family: str = "general"
    """``rnn`` for names tf1-compat provides (ReplaceRnnSymbolsCommand), else
    ``general`` (MoveToCompatV1Command)."""
    shim_module: str = "compat.rnn"


def _shim_plan(path: Sequence[str]) -> Plan | None:
    """The plan for a name under one of the ``SHIMS`` modules, if it is one."""
    for size in (2, 1):
        if len(path) < size:
            continue
        shim = SHIMS.get(tuple(path[:size]))
        if shim is None:
            continue
        if len(path) == size:
            if shim.whole_module and shim.module == "compat.rnn":
                return Plan("shim", (), family="rnn", shim_module=shim.module)
            return None
        name = path[size]
        if name in shim.names:
            target = dict(shim.renames).get(name, name)
            return Plan(
                "shim",
                (target, *path[size + 1 :]),
                family="rnn",
                shim_module=shim.module,
            )
        if not shim.whole_module:
            return None
        return Plan(
            "warn",
            message=f"tf.{'.'.join(path[: size + 1])} is not provided by tf1-compat; "
            "`tf1compat limits` lists what is missing and what to use instead",
            family="rnn",
        )
    return None


def classify(path: Sequence[str]) -> Plan:
    """Decide what happens to ``tensorflow.<path>`` in converted code."""
    if not path or path[0].startswith("__"):
        return Plan("keep")
    if tuple(path[:2]) == ("compat", "v1"):
        return _shim_plan(path[2:]) or Plan("keep")
    if path[0] == "compat":
        return Plan("keep")
    shim = _shim_plan(path)
    if shim is not None:
        return shim
    if path[0] == "contrib":
        member = path[1] if len(path) > 1 else ""
        hint = _CONTRIB_HINTS.get(member)
        message = (
            f"tf.contrib.{member} does not exist in TF2 and tf1-compat does not "
            "provide it"
        )
        return Plan("warn", message=message + (f"; {hint}" if hint else ""))
    if path[0] == "keras":
        return Plan(
            "warn",
            message="tf.keras is Keras 3 on TF 2.16+, which does not build or fit "
            "models in graph mode; port this part to Keras 3 by hand",
        )
    for size in (3, 2, 1):
        key = ".".join(path[:size])
        if key in NEEDS_COMPAT_V1:
            return Plan("compat_v1")
        if key in SAME_IN_TF2:
            return Plan("keep")
    return Plan(
        "warn", message=f"tf.{'.'.join(path)} is not part of TF1's API; left unchanged"
    )


class _Command(cst.CSTTransformer):
    """Shared plumbing: warnings and the alias table."""

    def __init__(self, aliases: Aliases) -> None:
        super().__init__()
        self.aliases = aliases
        self.warnings: list[Warn] = []
        self.shim_modules: set[str] = set()
        """tf1-compat modules the rewritten code now refers to by full name."""
        self.changed = False
        self._pending: list[tuple[cst.CSTNode, str]] = []

    def warn(self, node: cst.CSTNode, message: str) -> None:
        # The line is looked up after the pass (see run_command): positions
        # cost a full code generation, and most modules produce no warning.
        self._pending.append((node, message))


def run_command(command: _Command, module: cst.Module) -> cst.Module:
    """Apply one command to a module; warnings get the lines of the input."""
    result = module.visit(command)
    if command._pending:
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(
            PositionProvider
        )
        for node, message in command._pending:
            position = positions.get(node)
            command.warnings.append(
                (position.start.line if position else None, message)
            )
        command._pending.clear()
    return result


class RewriteTensorflowImportsCommand(_Command):
    """Import forms of the modules tf1-compat provides; changed names to compat.v1.

    ``import tensorflow.contrib.rnn as rnn``  ->  ``import compat.rnn as rnn``
    ``from tensorflow.contrib import rnn``    ->  ``from compat import rnn``
    ``from tensorflow.nn import rnn_cell``    ->  ``from compat import rnn as rnn_cell``
    ``from tensorflow.contrib.rnn import X``  ->  ``from compat.rnn import X``
    ``from tensorflow.contrib import layers`` ->  ``from compat import layers``
    ``from tensorflow import placeholder``
        ->  ``from tensorflow.compat.v1 import placeholder``
    """

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        result = self._leave_import(original, updated)
        self.changed |= result is not updated
        return result

    def leave_ImportFrom(
        self, original: cst.ImportFrom, updated: cst.ImportFrom
    ) -> cst.ImportFrom:
        result = self._leave_import_from(original, updated)
        self.changed |= result is not updated
        return result

    def _leave_import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = []
        replaced = False
        for alias in updated.names:
            module = _module_name(alias.name)
            path = module.split(".")[1:] if module.startswith("tensorflow.") else None
            shim = SHIMS.get(tuple(path)) if path is not None else None
            if shim is not None and shim.whole_module and alias.asname is not None:
                names.append(alias.with_changes(name=cst.parse_expression(shim.module)))
                replaced = True
                continue
            if path is not None and path[:1] == ["contrib"]:
                self.warn(
                    original, classify(path).message or f"{module} is not provided"
                )
            names.append(alias)
        return updated.with_changes(names=names) if replaced else updated

    def _leave_import_from(
        self, original: cst.ImportFrom, updated: cst.ImportFrom
    ) -> cst.ImportFrom:
        module = _module_name(updated.module)
        if updated.relative or not (
            module == "tensorflow" or module.startswith("tensorflow.")
        ):
            return updated
        if isinstance(updated.names, cst.ImportStar):
            self.warn(
                original, f"from {module} import * is not converted; import names"
            )
            return updated
        base = module.split(".")[1:]
        if tuple(base[:2]) == ("compat", "v1"):
            base = base[2:]
        imported = [_module_name(a.name) for a in updated.names]

        # `from tensorflow.contrib.rnn import LSTMCell` and the like.
        shim = SHIMS.get(tuple(base))
        if shim is not None and (
            shim.whole_module or all(n in shim.names for n in imported)
        ):
            unsupported = [n for n in imported if n not in shim.names]
            for name in unsupported:
                plan = _shim_plan([*base, name])
                self.warn(original, (plan.message if plan else None) or name)
            renamed = [n for n in imported if n in dict(shim.renames)]
            if unsupported or renamed:
                if renamed:
                    self.warn(original, f"import {renamed} by hand from {shim.module}")
                return updated
            return updated.with_changes(module=cst.parse_expression(shim.module))

        # `from tensorflow.contrib import rnn`: the module itself.
        modules = [SHIMS.get((*base, n)) for n in imported]
        if any(m is not None and m.whole_module for m in modules):
            if len(imported) != 1:
                self.warn(original, "import this module on its own line to convert it")
                return updated
            target = modules[0]
            assert target is not None
            alias = updated.names[0]
            package, _, leaf = target.module.rpartition(".")
            local = (
                alias.asname.name.value  # type: ignore[union-attr]
                if alias.asname
                else imported[0]
            )
            new_alias = cst.ImportAlias(
                name=cst.Name(leaf),
                asname=None if local == leaf else cst.AsName(name=cst.Name(local)),
            )
            return updated.with_changes(module=cst.Name(package), names=[new_alias])

        plans = [classify([*base, n]) for n in imported]
        for plan in plans:
            if plan.action == "warn" and plan.message:
                self.warn(original, plan.message)
        if module.startswith("tensorflow.compat"):
            return updated
        if any(p.action == "compat_v1" for p in plans) and not any(
            p.action == "warn" for p in plans
        ):
            target_module = ".".join(["tensorflow", "compat", "v1", *base])
            return updated.with_changes(module=cst.parse_expression(target_module))
        return updated


class _ChainCommand(_Command):
    """Rewrites dotted names (``tf.a.b``) by their ``classify`` plan.

    Each subclass handles the plans of some families; ``RewriteDottedNamesCommand``
    runs several in one traversal.
    """

    families: tuple[str, ...] = ()

    def __init__(self, aliases: Aliases) -> None:
        super().__init__(aliases)
        self._replacements: dict[cst.CSTNode, cst.BaseExpression] = {}

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        parts = dotted(node)
        if parts is None:
            return True
        self._plan(node, parts)
        return False

    def _plan(self, node: cst.Attribute, parts: list[str]) -> None:
        qualified = self.aliases.resolve(parts)
        if qualified is None or qualified[0] != "tensorflow":
            return
        plan = classify(qualified[1:])
        if plan.family not in self.families:
            return
        if plan.family == "rnn":
            replacement = _rnn_replacement(self, parts, plan)
        else:
            replacement = _compat_v1_replacement(self, parts, plan)
        if replacement is not None:
            self._replacements[node] = replacement
        elif plan.action == "warn" and plan.message:
            self.warn(node, plan.message)

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        new = self._replacements.get(original)
        if new is None:
            return updated
        self.changed = True
        return new.with_changes(lpar=updated.lpar, rpar=updated.rpar)


def _rnn_replacement(
    command: _ChainCommand, parts: list[str], plan: Plan
) -> cst.BaseExpression | None:
    if plan.action != "shim":
        return None
    root_target = command.aliases.names[parts[0]].split(".")[1:]
    if tuple(root_target[:2]) == ("compat", "v1"):
        root_target = root_target[2:]
    shim = SHIMS.get(tuple(root_target))
    if shim is not None and shim.whole_module and len(parts) > 1:
        # The root is an imported module that the import command rewrote to
        # tf1-compat's (``rnn.LSTMCell`` after ``from compat import rnn``).
        renamed = dict(shim.renames).get(parts[1])
        if renamed is None:
            return None
        return cst.parse_expression(".".join([parts[0], renamed, *parts[2:]]))
    command.shim_modules.add(plan.shim_module)
    return cst.parse_expression(".".join([plan.shim_module, *plan.shim_path]))


def _compat_v1_replacement(
    command: _ChainCommand, parts: list[str], plan: Plan
) -> cst.BaseExpression | None:
    if plan.action != "compat_v1" or command.aliases.names[parts[0]] != "tensorflow":
        return None
    return cst.parse_expression(".".join([parts[0], "compat", "v1", *parts[1:]]))


class ReplaceRnnSymbolsCommand(_ChainCommand):
    """Rewrite ``tf.contrib.rnn.X``, ``tf.nn.rnn_cell.X``, ``tf.nn.dynamic_rnn``.

    All go to ``compat.rnn.X``; RNN names the shim lacks are warned about.
    """

    families = ("rnn",)


class MoveToCompatV1Command(_ChainCommand):
    """``tf.X`` that TF2 removed or changed -> ``tf.compat.v1.X``; warn on the rest."""

    families = ("general",)


class RewriteDottedNamesCommand(_ChainCommand):
    """Both rewrites above in one traversal (what the converter runs)."""

    families = ("rnn", "general")


def _imports_tensorflow(statement: cst.CSTNode) -> bool:
    found = False

    class Finder(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            nonlocal found
            found |= any(
                _module_name(a.name).split(".")[0] == "tensorflow" for a in node.names
            )

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            nonlocal found
            found |= not node.relative and _module_name(node.module).split(".")[0] in (
                "tensorflow",
            )

    statement.visit(Finder())
    return found


def find_graph_mode_calls(module: cst.Module, code: str) -> bool:
    """True if ``module`` (whose text is ``code``) already switches to graph mode."""
    if "disable_eager_execution" not in code and "disable_v2_behavior" not in code:
        return False
    found = False

    class Finder(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            nonlocal found
            parts = dotted(node.func)
            if parts and parts[-1] in (
                "disable_eager_execution",
                "disable_v2_behavior",
            ):
                found = True

    module.visit(Finder())
    return found


def find_shim_imports(module: cst.Module, code: str) -> set[str]:
    """The tf1-compat modules ``module`` (text ``code``) imports as ``import X``."""
    if "compat." not in code:
        return set()
    found: set[str] = set()

    class Finder(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                name = _module_name(alias.name)
                if name in SHIM_MODULES and alias.asname is None:
                    found.add(name)

    module.visit(Finder())
    return found


class InsertGraphModeCommand(cst.CSTTransformer):
    """After the first TensorFlow import: graph mode on, then the shim imports.

    Args:
        aliases: The TensorFlow aliases of the notebook or script.
        graph_mode: Insert ``disable_eager_execution()`` (False if present).
        shim_imports: tf1-compat modules to import (``compat.rnn``, ...).
        after: Index of the top-level statement to insert after.
    """

    def __init__(
        self,
        aliases: Aliases,
        *,
        graph_mode: bool,
        shim_imports: Sequence[str],
        after: int,
    ) -> None:
        super().__init__()
        self.aliases = aliases
        self.graph_mode = graph_mode
        self.shim_imports = sorted(shim_imports)
        self.after = after
        self.inserted = False

    def _statements(self) -> list[cst.BaseStatement]:
        statements: list[cst.BaseStatement] = []
        if self.graph_mode:
            roots = self.aliases.tensorflow_roots()
            v1_roots = [
                n for n, t in self.aliases.names.items() if t == "tensorflow.compat.v1"
            ]
            if roots:
                root = sorted(roots, key=lambda n: (n != "tf", n))[0]
                call = f"{root}.compat.v1.disable_eager_execution()"
            elif v1_roots:
                call = f"{sorted(v1_roots)[0]}.disable_eager_execution()"
            else:
                statements.append(cst.parse_statement("import tensorflow\n"))
                call = "tensorflow.compat.v1.disable_eager_execution()"
            statements.append(cst.parse_statement(call + "\n"))
        for name in self.shim_imports:
            statements.append(cst.parse_statement(f"import {name}\n"))
        return statements

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        extra = self._statements()
        if not extra:
            return updated
        body = list(updated.body)
        self.inserted = True
        cut = self.after + 1
        return updated.with_changes(body=[*body[:cut], *extra, *body[cut:]])


def first_tensorflow_import(module: cst.Module) -> int | None:
    """Index of the first top-level statement of ``module`` importing TensorFlow."""
    for index, statement in enumerate(module.body):
        if _imports_tensorflow(statement):
            return index
    return None


# Python 2 builtins and dict methods with a same-meaning Python 3 name.
PYTHON2_NAMES = {"xrange": "range", "raw_input": "input"}
PYTHON2_METHODS = {"iteritems": "items", "itervalues": "values", "iterkeys": "keys"}


class _BoundNames(cst.CSTVisitor):
    """Names a module binds anywhere (so ``xrange = ...`` is left alone).

    Deliberately coarse: a name bound in any scope is never rewritten, which
    can only leave a Python 2 name in place (reported by the run), never
    rename a user's own variable.
    """

    def __init__(self) -> None:
        self.bound: set[str] = set()

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name):
            self.bound.add(node.target.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.bound.add(node.name.value)

    def visit_Param(self, node: cst.Param) -> None:
        self.bound.add(node.name.value)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        name = node.asname.name if node.asname else node.name
        if isinstance(name, cst.Name):
            self.bound.add(name.value)


class ReplacePython2IdiomsCommand(_Command):
    """Python 2 idioms: ``xrange``, ``raw_input``, ``d.iteritems()`` and friends.

    Only builtins the module does not define itself, and only zero-argument
    calls of the ``iter*`` methods (what ``dict`` has), are rewritten.
    """

    def __init__(self, aliases: Aliases) -> None:
        super().__init__(aliases)
        self.replaced: list[cst.CSTNode] = []
        self._bound: set[str] = set()
        # Name nodes that are not references to a builtin: attribute names
        # (`obj.xrange`), keyword names (`f(xrange=1)`) and parameters.
        self._not_references: set[int] = set()

    def visit_Module(self, node: cst.Module) -> None:
        names = _BoundNames()
        node.visit(names)
        self._bound = names.bound

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._not_references.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._not_references.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self._not_references.add(id(node.name))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        new = PYTHON2_NAMES.get(updated.value)
        if (
            new is None
            or updated.value in self._bound
            or id(original) in self._not_references
        ):
            return updated
        self.changed = True
        self.replaced.append(original)
        return updated.with_changes(value=new)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        func = updated.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in PYTHON2_METHODS
            and not updated.args
        ):
            self.changed = True
            self.replaced.append(original)
            attr = func.attr.with_changes(value=PYTHON2_METHODS[func.attr.value])
            return updated.with_changes(func=func.with_changes(attr=attr))
        return updated
