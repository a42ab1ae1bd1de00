"""The public side of the bot's web server: the results page, the open datasets it links to,
and the Open311 GeoReport v2 read API. Aggregates and what citizens agreed to publish only."""
