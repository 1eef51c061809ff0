"""The web app for privacy officers: FastAPI, server-rendered Jinja2 pages, htmx, NL Design System.

``create_app(store_root)`` builds the app; ``schildwacht serve`` runs it with uvicorn.
"""
