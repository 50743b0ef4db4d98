"""Unit tests of @package@.@module@ (@impl@)."""

@imports@@body@