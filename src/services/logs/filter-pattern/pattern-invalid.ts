/** A filter pattern that does not parse; the message is what AWS answers (InvalidParameterException). */
export class FilterPatternInvalid extends Error {}

export const invalidPattern = (): FilterPatternInvalid => new FilterPatternInvalid('Invalid filter pattern');
