// Placeholder translation unit until the generate layer lands.
