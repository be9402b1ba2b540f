// Placeholder translation unit until the engine layer lands.
