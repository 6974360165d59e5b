//! A tiny in-memory data frame: named columns of `f64` (NaN = missing) or text, all of one
//! length. The estimators take it; callers fill it from whatever file they read.

use crate::error::{Error, Result};

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Numbers; NaN marks a missing value.
    Num(Vec<f64>),
    /// Text (categories, codes).
    Text(Vec<String>),
}

impl Column {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Num(v) => v.len(),
            Column::Text(v) => v.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn take(&self, rows: &[usize]) -> Column {
        match self {
            Column::Num(v) => Column::Num(rows.iter().map(|&i| v[i]).collect()),
            Column::Text(v) => Column::Text(rows.iter().map(|&i| v[i].clone()).collect()),
        }
    }

    /// The value in row `i` as a category key (numbers printed exactly).
    pub fn key(&self, i: usize) -> String {
        match self {
            Column::Num(v) => format!("{}", v[i]),
            Column::Text(v) => v[i].clone(),
        }
    }
}

/// Named columns of equal length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frame {
    names: Vec<String>,
    columns: Vec<Column>,
}

impl Frame {
    /// An empty frame.
    pub fn new() -> Frame {
        Frame::default()
    }

    /// Adds a column; refuses a duplicate name or a length unlike the others'.
    pub fn push(&mut self, name: &str, column: Column) -> Result<()> {
        if self.names.iter().any(|n| n == name) {
            return Err(Error::Duplicate(name.to_string()));
        }
        if let Some(first) = self.columns.first()
            && first.len() != column.len()
        {
            return Err(Error::Length {
                name: name.to_string(),
                len: column.len(),
                rows: first.len(),
            });
        }
        self.names.push(name.to_string());
        self.columns.push(column);
        Ok(())
    }

    /// Builder form of [`Frame::push`].
    pub fn with(mut self, name: &str, column: Column) -> Result<Frame> {
        self.push(name, column)?;
        Ok(self)
    }

    /// Adds or replaces a numeric column.
    pub fn set_num(&mut self, name: &str, values: Vec<f64>) -> Result<()> {
        if let Some(i) = self.names.iter().position(|n| n == name) {
            if values.len() != self.rows() {
                return Err(Error::Length {
                    name: name.to_string(),
                    len: values.len(),
                    rows: self.rows(),
                });
            }
            self.columns[i] = Column::Num(values);
            Ok(())
        } else {
            self.push(name, Column::Num(values))
        }
    }

    /// Number of rows (0 for a frame without columns).
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    /// Column names in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Result<&Column> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.columns[i])
            .ok_or_else(|| Error::NoColumn(name.to_string()))
    }

    /// The numeric column named `name`.
    pub fn num(&self, name: &str) -> Result<&[f64]> {
        match self.column(name)? {
            Column::Num(v) => Ok(v),
            Column::Text(_) => Err(Error::NotNumeric(name.to_string())),
        }
    }

    /// The text column named `name`.
    pub fn text(&self, name: &str) -> Result<&[String]> {
        match self.column(name)? {
            Column::Text(v) => Ok(v),
            Column::Num(_) => Err(Error::NotText(name.to_string())),
        }
    }

    /// The rows for which `keep(row)` is true, every column.
    pub fn filter(&self, keep: impl Fn(usize) -> bool) -> Frame {
        let rows: Vec<usize> = (0..self.rows()).filter(|&i| keep(i)).collect();
        self.take(&rows)
    }

    /// The given rows, in the given order.
    pub fn take(&self, rows: &[usize]) -> Frame {
        Frame {
            names: self.names.clone(),
            columns: self.columns.iter().map(|c| c.take(rows)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_must_agree_in_length_and_name() {
        let mut f = Frame::new();
        f.push("a", Column::Num(vec![1.0, 2.0])).unwrap();
        assert!(matches!(
            f.push("b", Column::Num(vec![1.0])),
            Err(Error::Length { .. })
        ));
        assert!(matches!(
            f.push("a", Column::Num(vec![1.0, 2.0])),
            Err(Error::Duplicate(_))
        ));
        f.push("c", Column::Text(vec!["x".into(), "y".into()]))
            .unwrap();
        let g = f.filter(|i| i == 1);
        assert_eq!(g.num("a").unwrap(), &[2.0]);
        assert_eq!(g.text("c").unwrap(), &["y".to_string()]);
        assert!(matches!(f.num("c"), Err(Error::NotNumeric(_))));
    }
}
