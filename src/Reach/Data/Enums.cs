namespace Reach.Data;

/// <summary>The three ways of selling that differ in cost and in the customers they fit (seed 003).</summary>
public enum Channel { SelfService, Inside, Field }

public enum Tier { A, B, C }

public enum Lifecycle { Prospect, Customer, Reference, Churned }

public enum UserRole { Admin, Manager, Rep }
