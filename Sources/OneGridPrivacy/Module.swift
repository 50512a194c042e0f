// OneGridPrivacy
