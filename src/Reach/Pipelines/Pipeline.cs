using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;

namespace Reach.Pipelines;

/// <summary>The sales process of one channel: an ordered list of stages.</summary>
public class Pipeline
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public Channel Channel { get; set; }
    public List<Stage> Stages { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long Version { get; set; }
}

public enum StageOutcome { Open, Won, Lost }

public class Stage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PipelineId { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }

    /// <summary>Probability of winning from here as the team set it (0–1); forecasting uses history instead.</summary>
    public decimal Probability { get; set; }

    /// <summary>What must be true before a deal leaves this stage; shown when a deal is moved.</summary>
    public string? ExitCriteria { get; set; }
    public StageOutcome Outcome { get; set; } = StageOutcome.Open;

    /// <summary>How many days a deal usually spends here; a deal that sat longer stands out. Null: no expectation set.</summary>
    public int? UsualDaysInStage { get; set; }
}

sealed class PipelineMapping : IEntityTypeConfiguration<Pipeline>
{
    public void Configure(EntityTypeBuilder<Pipeline> pipeline)
    {
        pipeline.Property(p => p.Name).HasMaxLength(100);
        pipeline.Property(p => p.Channel).HasConversion<string>().HasMaxLength(20);
        pipeline.HasIndex(p => p.Name).IsUnique();
        pipeline.HasMany(p => p.Stages).WithOne().HasForeignKey(s => s.PipelineId).OnDelete(DeleteBehavior.Cascade);
        pipeline.Property(p => p.Version).IsConcurrencyToken();
    }
}

sealed class StageMapping : IEntityTypeConfiguration<Stage>
{
    public void Configure(EntityTypeBuilder<Stage> stage)
    {
        stage.Property(s => s.Name).HasMaxLength(100);
        stage.Property(s => s.ExitCriteria).HasMaxLength(1000);
        stage.Property(s => s.Probability).HasPrecision(5, 4);
        stage.Property(s => s.Outcome).HasConversion<string>().HasMaxLength(10);
        stage.HasIndex(s => new { s.PipelineId, s.Name }).IsUnique();
    }
}
