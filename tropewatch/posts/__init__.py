"""Posts as imported from the platforms, their authors and sources, and their detections."""
