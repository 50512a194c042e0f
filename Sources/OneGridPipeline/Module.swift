// OneGridPipeline
