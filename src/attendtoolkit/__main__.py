import sys

from attendtoolkit.cli import main

sys.exit(main())
