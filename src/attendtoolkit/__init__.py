"""attendtoolkit: classify school attendance registers against a graduated-approach policy."""

__version__ = "0.1.0"
