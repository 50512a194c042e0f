// OneGridSamples
