"""ncg-digest: news coverage of the U.S.-ROK Nuclear Consultative Group, as a static timeline site.

The pipeline, one module per stage:
``read`` (content/ → model) · ``extract``/``ingest`` (seeds/ → content/articles/) ·
``digest`` (items → meetings, timeline, topics) · ``render`` (Jinja2 → bytes) · ``write`` (→ _site/).
"""

__version__ = "0.1.0"
