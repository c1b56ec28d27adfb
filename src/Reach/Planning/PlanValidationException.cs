namespace Reach.Planning;

/// <summary>One problem in a plan file: the field's path (<c>channels[1].win_rate</c>), its 1-based line, and what is wrong.</summary>
public sealed record PlanError(string Field, int Line, string Message)
{
    public override string ToString() =>
        Field.Length == 0 ? $"line {Line}: {Message}" : $"line {Line}: {Field}: {Message}";
}

/// <summary>Thrown when a plan cannot be evaluated; carries every error found, not just the first.</summary>
public sealed class PlanValidationException : Exception
{
    public PlanValidationException()
    {
    }

    public PlanValidationException(string message)
        : base(message)
    {
    }

    public PlanValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PlanValidationException(IReadOnlyList<PlanError> errors)
        : base("The plan is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<PlanError> Errors { get; } = [];
}
