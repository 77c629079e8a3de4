/**
 * The classify stage's statistical text model: hashed word, bigram and character n-gram features
 * of a message, scored by a softmax logistic regression trained on data/training/ (`npm run train`).
 */
export { DEFAULT_MODEL_PATH, createTextModel, loadTextModel, type TextModel } from './text-model.js';
export { DEFAULT_TRAINING, trainTextModel, type TrainingExample, type TrainOptions } from './train.js';
export { parseModel, stringifyModel, type SerializedModel } from './model-file.js';
export { tokenize, MAX_INPUT_CHARS } from './tokenize.js';
export { DEFAULT_CORPUS_PATH, corpusTrainingExamples, modelTextOf, readCorpus, type CorpusRecord } from './corpus.js';
