"""Staff pseudonyms and the justified, logged re-identification of one alert's employee."""
