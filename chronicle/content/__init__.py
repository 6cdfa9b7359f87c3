"""Content in: event files, seeds and the tag vocabulary read, checked and made into the model."""
