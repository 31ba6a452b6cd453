namespace Platform.Forecasting.Neural;

/// <summary>What one training run did; stored with a registered model.</summary>
/// <param name="Epochs">Epochs run.</param>
/// <param name="BestEpoch">Epoch whose weights were kept (lowest validation loss; the last one without validation windows).</param>
/// <param name="BestValidationLoss">Mean pinball loss over P10/P50/P90 in scaled units at <paramref name="BestEpoch"/>; NaN without validation windows.</param>
/// <param name="FinalTrainingLoss">Mean pinball loss of the last epoch's batches, scaled units.</param>
/// <param name="TrainingWindows">Candidate training windows after subsampling.</param>
/// <param name="ValidationWindows">Validation windows evaluated each epoch.</param>
/// <param name="SeriesCount">Series given to training.</param>
/// <param name="ParameterCount">Trainable weights of the network.</param>
/// <param name="Seconds">Wall time of the training run.</param>
public sealed record NeuralTrainingSummary(
    int Epochs,
    int BestEpoch,
    double BestValidationLoss,
    double FinalTrainingLoss,
    int TrainingWindows,
    int ValidationWindows,
    int SeriesCount,
    int ParameterCount,
    double Seconds);
