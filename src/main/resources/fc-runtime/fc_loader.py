"""Loads the user's functions (`file.method`) from the code directory and PYTHONPATH."""
import importlib
import os
import sys
import traceback


class LoadError(Exception):
    """The code could not be loaded; the text names the hook, the file, the function and the cause."""


class Functions(object):
    def __init__(self, handler, initializer, pre_stop):
        self.handler = handler
        self.initializer = initializer
        self.pre_stop = pre_stop


def _expected_file(module_name, code_path):
    return os.path.join(code_path, *module_name.split(".")) + ".py"


def load_function(what, spec, code_path):
    """Returns the callable named by spec ("index.handler" -> function handler of index.py)."""
    module_name, _, func_name = spec.rpartition(".")
    if not module_name or not func_name:
        raise LoadError('%s "%s" is not of the form file.method (for example index.handler)' % (what, spec))
    expected = _expected_file(module_name, code_path)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name and (module_name == e.name or module_name.startswith(e.name + ".")):
            raise LoadError('%s "%s": file %s not found (module "%s" is neither in %s nor on PYTHONPATH)'
                            % (what, spec, expected, module_name, code_path))
        raise LoadError('%s "%s": importing %s failed:\n%s' % (what, spec, expected, traceback.format_exc()))
    except SyntaxError as e:
        detail = "".join(traceback.format_exception_only(type(e), e))
        raise LoadError('%s "%s": syntax error in %s line %s:\n%s' % (what, spec, e.filename, e.lineno, detail))
    except BaseException:
        raise LoadError('%s "%s": importing %s failed:\n%s' % (what, spec, expected, traceback.format_exc()))
    source = getattr(module, "__file__", None) or expected
    func = getattr(module, func_name, None)
    if func is None:
        raise LoadError('%s "%s": %s has no function "%s"' % (what, spec, source, func_name))
    if not callable(func):
        raise LoadError('%s "%s": "%s" in %s is not a function' % (what, spec, func_name, source))
    return func


def load_all(config):
    """Loads the handler and the configured hooks; raises LoadError on the first that fails."""
    code_path = config.code_path
    normalised = [os.path.abspath(p) for p in sys.path if p]
    if os.path.abspath(code_path) not in normalised:
        sys.path.insert(0, code_path)
    importlib.invalidate_caches()
    if not config.handler:
        raise LoadError("Handler: FC_FUNCTION_HANDLER is not set")
    initializer = load_function("Initializer", config.initializer, code_path) if config.initializer else None
    pre_stop = load_function("PreStop", config.pre_stop, code_path) if config.pre_stop else None
    handler = load_function("Handler", config.handler, code_path)
    return Functions(handler, initializer, pre_stop)
