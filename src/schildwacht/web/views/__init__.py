"""What a page shows, gathered from services: keeps the route functions thin."""
