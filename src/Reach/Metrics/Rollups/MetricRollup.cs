using System.Buffers.Binary;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;

namespace Reach.Metrics.Rollups;

/// <summary>
/// What a rollup row counts: deals created, won or lost on its day, deals open with their expected close on it, touches
/// held on it, leads received on it, or deals that entered a proposal stage on it.
/// </summary>
public enum RollupMeasure { Created, Won, Lost, Open, Touch, Lead, Proposal }

/// <summary>
/// One stored aggregate of the workspace's figures: how many records (and their summed amount, in their own currency)
/// one measure saw on one UTC day for one combination of channel, tier, deal kind, currency, stage and touch type,
/// for the whole workspace (no <see cref="OwnerId"/>: the admin's figures read these) or for one owner (a rep's or a
/// team's figures read their owners'). Both are computed by one query (<see cref="RollupRows"/>).
/// </summary>
public class MetricRollup
{
    public long Id { get; set; }
    public DateOnly Day { get; set; }
    public RollupMeasure Measure { get; set; }

    /// <summary>The owner whose records the row counts; none for the workspace's row (every owner's and the unowned records).</summary>
    public Guid? OwnerId { get; set; }

    public Channel? Channel { get; set; }
    public Tier? Tier { get; set; }
    public DealKind? Kind { get; set; }
    public string? Currency { get; set; }
    public Guid? StageId { get; set; }
    public ActivityType? Type { get; set; }
    public int Count { get; set; }
    public decimal Amount { get; set; }

    /// <summary>
    /// What a median needs of each record counted, packed (<see cref="RollupValues"/>): a won deal's amount and cycle, a
    /// lead's time to its first touch, a proposal's deal (a deal is counted once in a period however many days it entered
    /// a proposal stage). None for the other measures.
    /// </summary>
    public byte[]? Values { get; set; }
}

/// <summary>
/// The records of a rollup row one by one, as much as the medians need: each won deal's amount and its cycle (created
/// to won, in ticks), or each touched lead's time from received to first touch (in ticks; <see cref="Amounts"/> empty).
/// Packed into <see cref="MetricRollup.Values"/> so a period's medians read a few rows instead of every deal and lead.
/// </summary>
public sealed class RollupValues(decimal[] amounts, long[] ticks)
{
    public decimal[] Amounts { get; } = amounts;
    public long[] Ticks { get; } = ticks;

    /// <summary>Deal ids, as two ticks each (a proposal row's deals).</summary>
    public static RollupValues OfIds(IEnumerable<Guid> ids) =>
        new([], [.. ids.SelectMany(id => { var bytes = id.ToByteArray(); return new[] { BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8) }; })]);

    /// <summary>The deal ids of <see cref="OfIds"/>.</summary>
    public IEnumerable<Guid> Ids()
    {
        var bytes = new byte[16];
        for (var i = 0; i + 1 < Ticks.Length; i += 2)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), Ticks[i]);
            BitConverter.TryWriteBytes(bytes.AsSpan(8, 8), Ticks[i + 1]);
            yield return new Guid(bytes);
        }
    }

    public static RollupValues Concat(IEnumerable<RollupValues> parts)
    {
        var list = parts.ToList();
        return new RollupValues([.. list.SelectMany(p => p.Amounts)], [.. list.SelectMany(p => p.Ticks)]);
    }

    // Little-endian: a count of amounts, the amounts as decimal bits, then the ticks.
    public byte[] Pack()
    {
        var bytes = new byte[4 + (Amounts.Length * 16) + (Ticks.Length * 8)];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, Amounts.Length);
        var at = 4;
        Span<int> bits = stackalloc int[4];
        foreach (var amount in Amounts)
        {
            decimal.GetBits(amount, bits);
            foreach (var part in bits)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span[at..], part);
                at += 4;
            }
        }
        foreach (var tick in Ticks)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], tick);
            at += 8;
        }
        return bytes;
    }

    public static RollupValues Unpack(byte[] bytes)
    {
        var span = bytes.AsSpan();
        var amounts = new decimal[BinaryPrimitives.ReadInt32LittleEndian(span)];
        var at = 4;
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < amounts.Length; i++)
        {
            for (var j = 0; j < 4; j++, at += 4)
                bits[j] = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
            amounts[i] = new decimal(bits);
        }
        var ticks = new long[(bytes.Length - at) / 8];
        for (var i = 0; i < ticks.Length; i++, at += 8)
            ticks[i] = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
        return new RollupValues(amounts, ticks);
    }
}

/// <summary>
/// The state of one day's rollups: every write that changes a figure of the day bumps <see cref="Version"/> in its own
/// transaction; the refresher rebuilds the day and records the version it read before rebuilding in <see cref="Built"/>.
/// The stored rows of a day are used only while <c>Built == Version</c>; a stale day is computed live.
/// </summary>
public class MetricRollupDay
{
    public DateOnly Day { get; set; }
    public long Version { get; set; }
    public long Built { get; set; }

    /// <summary>
    /// For a day that had not ended when it was built (today, a day to come): the instant up to which its touches are
    /// counted (a touch later than that had not happened). Those that happened since are counted live; once the day is
    /// over it is built again, whole. None for a day built after it ended.
    /// </summary>
    public DateTime? TouchesUntil { get; set; }
}

public sealed class MetricRollupConfiguration : IEntityTypeConfiguration<MetricRollup>, IEntityTypeConfiguration<MetricRollupDay>
{
    public void Configure(EntityTypeBuilder<MetricRollup> builder)
    {
        var rollup = builder;
        rollup.ToTable("MetricRollups");
        rollup.Property(r => r.Measure).HasConversion<string>().HasMaxLength(10);
        rollup.Property(r => r.Channel).HasConversion<string>().HasMaxLength(20);
        rollup.Property(r => r.Tier).HasConversion<string>().HasMaxLength(1);
        rollup.Property(r => r.Kind).HasConversion<string>().HasMaxLength(10);
        rollup.Property(r => r.Currency).HasMaxLength(3);
        rollup.Property(r => r.Type).HasConversion<string>().HasMaxLength(10);
        rollup.Property(r => r.Amount).HasPrecision(18, 2);
        // The workspace's rows (no owner) and one owner's are each read by measure and days, from the index alone (but
        // for the values): a team's are many owners' rows scattered over the table.
        rollup.HasIndex(r => new { r.OwnerId, r.Measure, r.Day, r.Channel, r.Tier, r.Kind, r.Currency, r.StageId, r.Type, r.Count, r.Amount })
            .HasDatabaseName("IX_MetricRollups_OwnerId_Measure_Day_Covering");
        rollup.HasIndex(r => r.Day);
    }

    public void Configure(EntityTypeBuilder<MetricRollupDay> builder)
    {
        var day = builder;
        day.ToTable("MetricRollupDays");
        day.HasKey(d => d.Day);
    }
}
