// Placeholder translation unit until the catalog layer lands.
