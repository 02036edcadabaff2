"""The class sets' pages: public (catalogue, booking by personal link) and staff."""
