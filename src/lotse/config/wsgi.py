import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.config.settings")
application = get_wsgi_application()

# Printing (WeasyPrint, fonts) is loaded in the background when a worker starts, so the first
# welcome sheet or letter printed at a counter is as fast as the others.
if os.environ.get("LOTSE_WARM_PRINTING", "1") != "0":
    from lotse.core.printing import warm_up

    threading.Thread(target=warm_up, name="printing-warm-up", daemon=True).start()
