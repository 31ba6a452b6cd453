namespace Platform.Alerting.Engine;

public enum AlertActionOutcome
{
    Done,
    NotFound,
    AlreadyResolved,
}
