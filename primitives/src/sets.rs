//! Categories, purposes and actions: the bit sets grants, deny rules and policies are made of.
//! A set costs a few bytes and a check is a mask; a set never carries bits that name nothing
//! (decoding accepts them so that a pallet can refuse them by name; [`Categories::is_known`]
//! and its siblings say so, and JSON refuses them).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// Declares an enum of named flags and the bit set of them (bit `i` = the variant with
/// discriminant `i`). The set encodes as its integer. It *decodes* any integer, so that a call
/// naming an unknown bit reaches the pallet and is refused there with a named error (a decode
/// failure would only reach the sender as a failed transaction-pool check); every call that
/// takes a set checks [`Categories::is_known`] (and its siblings) before using it, and the
/// pallets' `try_state` checks that no stored set carries an unknown bit. JSON (genesis
/// configs, RPC) refuses unknown bits.
macro_rules! flag_set {
	(
		$(#[$enum_meta:meta])* enum $one:ident;
		$(#[$set_meta:meta])* set $set:ident($repr:ty, $repr_name:literal);
		$( $(#[$var_meta:meta])* $variant:ident = $bit:literal ),+ $(,)?
	) => {
		$(#[$enum_meta])*
		#[derive(
			Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode,
			DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Serialize, Deserialize,
		)]
		pub enum $one {
			$( $(#[$var_meta])* $variant = $bit ),+
		}

		impl $one {
			/// Every value, in bit order.
			pub const ALL: &'static [$one] = &[$( $one::$variant ),+];

			/// This value's bit in a set.
			pub const fn bit(self) -> $repr {
				1 << (self as u8)
			}
		}

		$(#[$set_meta])*
		#[derive(
			Clone, Copy, PartialEq, Eq, Default, Debug, Encode, MaxEncodedLen, TypeInfo,
			Serialize, Deserialize,
		)]
		#[serde(try_from = $repr_name, into = $repr_name)]
		pub struct $set($repr);

		impl $set {
			/// The set of every value.
			pub const ALL: $set = $set(0 $( | (1 << $bit) )+);
			/// The empty set.
			pub const NONE: $set = $set(0);

			/// The set with exactly these values.
			pub fn of(values: &[$one]) -> Self {
				Self(values.iter().fold(0, |acc, v| acc | v.bit()))
			}
			/// The set whose bits are `bits`, or `None` if a bit names no value.
			pub const fn from_bits(bits: $repr) -> Option<Self> {
				if bits & !Self::ALL.0 == 0 { Some(Self(bits)) } else { None }
			}
			/// Whether every bit of the set names a value (a decoded set may carry others).
			pub const fn is_known(self) -> bool {
				self.0 & !Self::ALL.0 == 0
			}
			/// The bits of this set.
			pub const fn bits(self) -> $repr {
				self.0
			}
			/// Whether the set is empty.
			pub const fn is_empty(self) -> bool {
				self.0 == 0
			}
			/// Whether `value` is in the set.
			pub const fn contains(self, value: $one) -> bool {
				self.0 & value.bit() != 0
			}
			/// Whether every value of `other` is in this set.
			pub const fn contains_all(self, other: Self) -> bool {
				self.0 & other.0 == other.0
			}
			/// Whether the two sets share a value.
			pub const fn intersects(self, other: Self) -> bool {
				self.0 & other.0 != 0
			}
			/// The values in both sets.
			pub const fn intersection(self, other: Self) -> Self {
				Self(self.0 & other.0)
			}
			/// The values in either set.
			pub const fn union(self, other: Self) -> Self {
				Self(self.0 | other.0)
			}
			/// The values of this set that are not in `other`.
			pub const fn difference(self, other: Self) -> Self {
				Self(self.0 & !other.0)
			}
			/// How many values the set holds.
			pub const fn len(self) -> u32 {
				self.0.count_ones()
			}
			/// The values in the set, in bit order.
			pub fn iter(self) -> impl Iterator<Item = $one> {
				$one::ALL.iter().copied().filter(move |v| self.contains(*v))
			}
		}

		impl From<$one> for $set {
			fn from(value: $one) -> Self {
				Self(value.bit())
			}
		}

		impl From<$set> for $repr {
			fn from(set: $set) -> $repr {
				set.0
			}
		}

		impl TryFrom<$repr> for $set {
			type Error = &'static str;
			fn try_from(bits: $repr) -> Result<Self, Self::Error> {
				Self::from_bits(bits).ok_or(concat!("a bit of this ", stringify!($set), " names no value"))
			}
		}

		impl Decode for $set {
			fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
				// Any bits: the pallet that receives the set refuses unknown ones by name.
				<$repr>::decode(input).map(Self)
			}
		}

		impl DecodeWithMemTracking for $set {}
	};
}

flag_set! {
	/// A category of medical data, after the FHIR resource families it covers
	/// (see `docs/pallets/` for the mapping).
	enum Category;
	/// A set of [`Category`] values. The last four categories are *sensitive*: never implied by
	/// a shortcut, they must be named one by one (see [`Categories::SENSITIVE`]).
	set Categories(u16, "u16");
	/// Patient, RelatedPerson (no direct identifiers on chain, only the fact of access).
	Demographics = 0,
	/// Encounter, EpisodeOfCare.
	Encounters = 1,
	/// Condition.
	Diagnoses = 2,
	/// MedicationRequest, MedicationStatement, MedicationDispense.
	Medications = 3,
	/// AllergyIntolerance.
	Allergies = 4,
	/// Observation (laboratory), DiagnosticReport.
	LabResults = 5,
	/// ImagingStudy, DiagnosticReport (imaging).
	Imaging = 6,
	/// Procedure.
	Procedures = 7,
	/// Immunization.
	Immunizations = 8,
	/// DocumentReference, Composition (clinical notes).
	ClinicalNotes = 9,
	/// Sensitive: mental health.
	MentalHealth = 10,
	/// Sensitive: sexual and reproductive health.
	SexualHealth = 11,
	/// Sensitive: genomic data.
	Genomics = 12,
	/// Sensitive: Claim, ExplanationOfBenefit, Coverage.
	Billing = 13,
}

impl Category {
	/// Whether this category must always be named explicitly.
	pub const fn is_sensitive(self) -> bool {
		Categories::SENSITIVE.contains(self)
	}
}

impl Categories {
	/// The sensitive categories: MentalHealth, SexualHealth, Genomics, Billing.
	pub const SENSITIVE: Categories = Categories(
		(1 << Category::MentalHealth as u8)
			| (1 << Category::SexualHealth as u8)
			| (1 << Category::Genomics as u8)
			| (1 << Category::Billing as u8),
	);
	/// Every category that is not sensitive: what a "clinical" shortcut may cover.
	pub const CLINICAL: Categories = Categories(Categories::ALL.0 & !Categories::SENSITIVE.0);
}

flag_set! {
	/// Why data is accessed (after FHIR/HL7 v3 PurposeOfUse).
	enum Purpose;
	/// A set of [`Purpose`] values.
	set Purposes(u8, "u8");
	/// TREAT: care of the patient.
	Treatment = 0,
	/// HPAYMT: payment for care.
	Payment = 1,
	/// HOPERAT: healthcare operations.
	Operations = 2,
	/// HRESCH: research.
	Research = 3,
	/// PUBHLTH: public health.
	PublicHealth = 4,
	/// ETREAT: emergency treatment.
	Emergency = 5,
}

flag_set! {
	/// What a grantee may do with the data a grant covers.
	enum Action;
	/// A set of [`Action`] values.
	set Actions(u8, "u8");
	/// Read records.
	Read = 0,
	/// Author new records (anchor them for the patient).
	Append = 1,
	/// Pass the grant on to the grantee organisation's practitioners; without it only the named
	/// grantee acts.
	Share = 2,
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::{Decode, Encode};

	#[test]
	fn sets_decode_unknown_bits_and_say_so() {
		assert_eq!(
			Categories::decode(&mut &(1u16 << 13).encode()[..]),
			Ok(Category::Billing.into())
		);
		assert!(Categories::decode(&mut &(1u16 << 13).encode()[..]).unwrap().is_known());
		// Decoded, so that the pallet refuses it by name; but not known.
		let unknown = Categories::decode(&mut &(1u16 << 14).encode()[..]).unwrap();
		assert!(!unknown.is_known());
		assert!(!Purposes::decode(&mut &(1u8 << 6).encode()[..]).unwrap().is_known());
		assert!(!Actions::decode(&mut &0b1000u8.encode()[..]).unwrap().is_known());
		assert_eq!(Actions::from_bits(0b111), Some(Actions::ALL));
		assert_eq!(Actions::from_bits(0b1000), None);
		// JSON stays strict.
		assert!(serde_json::from_str::<Purposes>("64").is_err());
	}

	#[test]
	fn sets_encode_as_their_integer() {
		let set = Categories::of(&[Category::Demographics, Category::LabResults]);
		assert_eq!(set.encode(), 0b10_0001u16.encode());
		assert_eq!(Categories::max_encoded_len(), 2);
		assert_eq!(serde_json::to_string(&set).unwrap(), "33");
		assert_eq!(serde_json::from_str::<Categories>("33").unwrap(), set);
		assert!(serde_json::from_str::<Categories>("65535").is_err());
	}

	#[test]
	fn sensitive_categories_are_the_last_four_and_never_clinical() {
		let sensitive: Vec<_> = Categories::SENSITIVE.iter().collect();
		assert_eq!(
			sensitive,
			vec![
				Category::MentalHealth,
				Category::SexualHealth,
				Category::Genomics,
				Category::Billing
			]
		);
		assert!(!Categories::CLINICAL.intersects(Categories::SENSITIVE));
		assert_eq!(Categories::CLINICAL.union(Categories::SENSITIVE), Categories::ALL);
		assert_eq!(Categories::ALL.len(), Category::ALL.len() as u32);
	}

	#[test]
	fn set_algebra() {
		let a = Categories::of(&[Category::Diagnoses, Category::Imaging]);
		let b = Categories::of(&[Category::Imaging, Category::Genomics]);
		assert_eq!(a.intersection(b), Category::Imaging.into());
		assert_eq!(a.difference(b), Category::Diagnoses.into());
		assert!(a.union(b).contains_all(a) && a.union(b).contains_all(b));
		assert!(!a.contains_all(b));
		assert!(Categories::NONE.is_empty() && Categories::ALL.contains_all(a));
	}
}
