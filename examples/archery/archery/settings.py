# Local overrides for the Archery web app; the stack's values come from the environment.
import os

DEBUG = os.environ.get("DEBUG", "false") == "true"
