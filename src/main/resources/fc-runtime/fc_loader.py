"""Loads the user's functions (`file.method`) from the code directory and the user's module path."""
import importlib
import os
import sys
import traceback

from . import fc_call
from . import fc_termination

_IMPORT_MACHINERY = os.path.dirname(os.path.abspath(importlib.__file__)) + os.sep


class LoadError(Exception):
    """The code could not be loaded. The first line, which becomes the termination message's one line, names the hook
    or handler, then the file and line where loading failed and why (the missing module, the name, the syntax
    error); a traceback of the user's frames may follow."""


class Functions(object):
    def __init__(self, handler, initializer, pre_stop):
        self.handler = handler
        self.initializer = initializer
        self.pre_stop = pre_stop


def user_path(python_path, code_path):
    """The folders the user's code imports from, in FC's order: PYTHONPATH's entries (the pod's default is
    /code:/code/python:/opt/python), with the code folder first when PYTHONPATH does not name it. Relative entries
    are taken from the working directory, as Python takes them; empty ones are skipped."""
    entries = []
    for entry in python_path.split(os.pathsep):
        entry = os.path.abspath(entry) if entry else None
        if entry and entry not in entries:
            entries.append(entry)
    code = os.path.abspath(code_path)
    if code not in entries:
        entries.insert(0, code)
    return entries


class Loader(object):
    """Puts the user's folders on sys.path, before the standard library's as PYTHONPATH would, once the runtime has
    imported every module it uses; then imports the user's functions."""

    def __init__(self, config):
        self._code_path = config.code_path
        self._entries = user_path(config.python_path, config.code_path)
        importlib.invalidate_caches()  # before: it may import importlib.metadata, and so csv, zipfile, ... (3.13)
        self._runtime_modules = set(sys.modules)  # the runtime's, and the standard library's it imported
        sys.path[:0] = self._entries

    def load_function(self, what, spec):
        """Returns the callable named by spec ("index.handler" -> function handler of index.py)."""
        module_name, _, func_name = spec.rpartition(".")
        if not module_name or not func_name:
            raise LoadError('%s "%s" is not of the form file.method (for example index.handler)' % (what, spec))
        expected = os.path.join(self._code_path, *module_name.split(".")) + ".py"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name and (module_name == e.name or module_name.startswith(e.name + ".")):
                raise LoadError('%s "%s": file %s not found (module "%s" is in none of %s)'
                                % (what, spec, expected, module_name, os.pathsep.join(self._entries)))
            raise LoadError(self._import_failed(what, spec, expected, e))
        except SyntaxError as e:
            raise LoadError(self._syntax_error(what, spec, e))
        except BaseException as e:
            raise LoadError(self._import_failed(what, spec, expected, e))
        source = getattr(module, "__file__", None) or expected
        top = module_name.split(".")[0]
        if top in self._runtime_modules and os.path.isfile(expected) and os.path.abspath(source) != expected:
            raise LoadError('%s "%s": %s cannot be module "%s": that name is the standard library\'s module, which '
                            'the runtime had imported already (%s); rename the file' % (what, spec, expected,
                                                                                       module_name, source))
        func = getattr(module, func_name, None)
        if func is None:
            raise LoadError('%s "%s": %s has no function "%s"' % (what, spec, source, func_name))
        if not callable(func):
            raise LoadError('%s "%s": "%s" in %s is not a function' % (what, spec, func_name, source))
        return func

    def _import_failed(self, what, spec, expected, error):
        """`FILE line N: TYPE: MESSAGE`, N the user's line that raised, then the traceback of the user's frames."""
        frames = self._frames(error)
        place = self._place(frames)
        where = "%s line %d" % place if place else "importing %s failed" % expected
        return '%s "%s": %s: %s\n%s' % (what, spec, where, _exception_line(error), _traceback(frames, error))

    def _syntax_error(self, what, spec, error):
        """`FILE line N: SyntaxError: MESSAGE`, who imported the file, and the offending line with its caret."""
        detail = "".join(traceback.format_exception_only(type(error), error))
        return '%s "%s": %s line %s: %s: %s\n%s%s' % (
            what, spec, error.filename, error.lineno, type(error).__name__, error.msg,
            _traceback(self._frames(error), None), detail)

    def _frames(self, error):
        """The traceback's frames but the runtime's and the import machinery's."""
        return [f for f in fc_call.user_frames(error.__traceback__)
                if not f.filename.startswith(("<frozen ", _IMPORT_MACHINERY))]

    def _place(self, frames):
        """(file, line) of the innermost frame in the user's folders, else of the innermost frame."""
        for frame in reversed(frames):
            if any(frame.filename.startswith(entry + os.sep) for entry in self._entries):
                return frame.filename, frame.lineno
        return (frames[-1].filename, frames[-1].lineno) if frames else None

    def load_all(self, config):
        """Loads the handler and the configured hooks; raises LoadError on the first that fails."""
        if not config.handler:
            raise LoadError("Handler: FC_FUNCTION_HANDLER is not set")
        initializer = self.load_function("Initializer", config.initializer) if config.initializer else None
        pre_stop = self.load_function("PreStop", config.pre_stop) if config.pre_stop else None
        handler = self.load_function("Handler", config.handler)
        return Functions(handler, initializer, pre_stop)


def _exception_line(error):
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    return text.replace("\n", " ")


def _traceback(frames, error):
    """Python's "Traceback (most recent call last)" text of frames, ending in error's line when error is given."""
    if not frames:
        return "" if error is None else "".join(traceback.format_exception_only(type(error), error))
    text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
    return text + ("".join(traceback.format_exception_only(type(error), error)) if error is not None else "")


def load_all(config):
    """Puts the user's folders on sys.path and loads the handler and the configured hooks."""
    return Loader(config).load_all(config)


class PythonCode(object):
    """The Python runtime's side of the instance's life (fc_lifecycle.Lifecycle's code): the user's module,
    loaded in this process, its Initializer and PreStop called as functions."""

    def __init__(self, config):
        self._config = config
        self.functions = None

    @staticmethod
    def start():
        """Nothing to start before the Initializer's clock: the code's load counts in its timeout, as in FC."""

    def initialize(self, context):
        """Loads the code, then runs the Initializer if one is configured (within the Initializer's timeout)."""
        self.functions = load_all(self._config)
        if self.functions.initializer is not None:
            self.functions.initializer(context)

    def pre_stop(self, context):
        self.functions.pre_stop(context)

    def failure(self, outcome):
        """(the text logged, the termination message's one line) of an Initializer that failed (or of the code's
        load when no Initializer is configured)."""
        if isinstance(outcome.error, LoadError):
            error = str(outcome.error)
            return error, "Could not load the function code: %s" % fc_termination.one_line(error)
        return outcome.traceback_text(), "Initializer %s failed: %s: %s" % (
            self._config.initializer, outcome.error_type(), fc_termination.one_line(outcome.error_message()))

    def pre_stop_failure(self, outcome):
        """The text logged and recorded for a PreStop that failed."""
        return outcome.traceback_text()
