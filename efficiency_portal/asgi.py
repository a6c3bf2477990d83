import os

from django.core.asgi import get_asgi_application

from efficiency_portal.startup import load_settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency_portal.settings")

load_settings_or_exit()  # a configuration mistake stops the server with one line
application = get_asgi_application()
