"""The demo municipality: data files under ``data/``, loaded through the services.

``flask demo load`` runs ``loader.load``; see ``loader.py`` for the layout of the data.
"""
