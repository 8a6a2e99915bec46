package intake

// FileCases is the source Write reads a checked file's cases from.
var FileCases = (*File).cases
